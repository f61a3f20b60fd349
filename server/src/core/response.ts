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

export const ok = z.object({ ok: z.literal(true) });

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
  content: { [mime]: { schema: z.string().meta({ format: 'binary' }) } },
});
