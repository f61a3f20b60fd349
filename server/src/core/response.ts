import { z } from 'zod';

/**
 * Shared pieces of the response schemas (each module keeps its own in `schemas.ts`).
 * The serializer encodes every JSON reply through its route's schema, so a field a
 * schema does not declare is not sent: a second guard, after present.ts, for masked data.
 * The web's types are the wire side of the same schemas (`z.input`): an instant is a string there.
 */

/** A database id or a count. */
export const int = z.number().int();

/**
 * An instant: a Date (or, from a few JSON columns, an ISO string) in the service; on
 * the wire always an ISO 8601 string in UTC, as JSON.stringify writes a Date.
 */
export const instant = z.codec(
  z.iso.datetime(),
  z.custom<Date | string>((v) => v instanceof Date || typeof v === 'string').meta({ type: 'string', format: 'date-time' }),
  { decode: (s) => new Date(s), encode: (v) => (v instanceof Date ? v : new Date(v)).toISOString() },
);

/** A calendar date 'YYYY-MM-DD' (date columns are read as text). */
export const day = z.iso.date();

export const ok = z.object({ ok: z.boolean() });

/**
 * A value the service types more loosely than the wire carries it. The wire schema is
 * checked when the reply is sent and is the web's type (and the OpenAPI's); the service
 * side is `S`: `string` for a code read from a text column, `unknown` for a JSON column.
 */
const looselyTyped = <S>() => <W extends z.ZodType>(wire: W) => {
  const { $schema: _, ...json } = z.toJSONSchema(wire, { io: 'input', target: 'openapi-3.0', unrepresentable: 'any' });
  return z.codec(wire, z.custom<S>(() => true).meta(json), { decode: (v) => v as S, encode: (v) => v as z.output<W> });
};

/** A code from a fixed list (an enum or literal schema) that the service reads as a plain string. */
export const code = looselyTyped<string>();

/** A JSON column (unknown to the service) with the shape it is known to hold. */
export const jsonColumn = looselyTyped<unknown>();

export const itemsOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * A reply that is not JSON (a workbook, an image, a text or XML body, an event stream).
 * Fastify never runs the serializer on a Buffer, a stream or a string with its own
 * content type, so the schema is there for the OpenAPI document (and for "every route
 * declares its response"): the media type with a binary string.
 */
export const binary = (mime: string, description: string) => ({
  description,
  content: { [mime]: { schema: z.custom<Uint8Array | string>(() => true).meta({ type: 'string', format: 'binary' }) } },
});

/** The system routes app.ts registers itself. */
export const systemResponses = {
  health: (() => {
    const shape = (status: z.ZodType) => z.object({
      status, db: z.enum(['pglite', 'postgres']), database: z.enum(['reachable', 'unreachable']),
      migrations: z.object({ applied: z.number().int(), pending: z.array(z.string()).describe('未执行的迁移文件') }).nullable(),
    });
    return { 200: shape(z.literal('ok')).describe('就绪：数据库可达，迁移为最新'), 503: shape(z.literal('unavailable')).describe('未就绪：数据库不可达或有未执行的迁移') };
  })(),
  /** The generated document itself: any JSON object. */
  openapi: { 200: z.record(z.string(), z.unknown()).describe('OpenAPI 3.0 document') },
};

/** Whether a route's schema declares the reply of a success status (200–299 or 2XX; a redirect for a browser step such as an OAuth callback). */
export const declaresSuccess = (schema: unknown) =>
  Object.keys((schema as { response?: object } | undefined)?.response ?? {}).some((status) => /^2(\d\d|XX)$/i.test(status) || /^30[12378]$/.test(status));
