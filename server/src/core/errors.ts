import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { hasMessage, localeOf, t, type Locale } from './i18n.js';

/** A field-level problem: a message key from i18n plus its parameters. */
export interface FieldProblem { key: string; params?: Record<string, unknown> }

/** An error the client caused or may see; the message is looked up in the request's locale. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messageKey: string = code,
    readonly params: Record<string, unknown> = {},
    readonly fields?: Record<string, FieldProblem>,
  ) {
    super(code);
  }
}

export const notFound = () => new AppError(404, 'not_found');
export const forbidden = () => new AppError(403, 'forbidden');
export const outOfScope = () => new AppError(403, 'out_of_scope');
export const unauthenticated = () => new AppError(401, 'unauthenticated');
/** 400/409 naming one field. */
export const fieldError = (field: string, key: string, params?: Record<string, unknown>, status = 400) => {
  const code = status === 409 ? 'conflict' : status === 413 ? 'payload_too_large' : 'validation_failed';
  return new AppError(status, code, code, {}, { [field]: { key, params } });
};

const TYPE_NAMES: Record<string, { 'zh-CN': string; en: string }> = {
  string: { 'zh-CN': '文本', en: 'a string' }, number: { 'zh-CN': '数字', en: 'a number' }, int: { 'zh-CN': '整数', en: 'an integer' },
  boolean: { 'zh-CN': '布尔值', en: 'true or false' }, object: { 'zh-CN': '对象', en: 'an object' }, array: { 'zh-CN': '数组', en: 'an array' },
};

function zodIssueToProblem(issue: { keyword: string; message: string; params: Record<string, any> }): FieldProblem {
  const p = issue.params ?? {};
  if (hasMessage(issue.message)) return { key: issue.message };
  switch (issue.keyword) {
    case 'invalid_type':
      return p.input === undefined && /received undefined/.test(issue.message) ? { key: 'required' } : { key: 'invalid_type', params: { expected: p.expected, expectedType: TYPE_NAMES[p.expected] } };
    case 'too_small':
      return p.origin === 'string' || p.origin === 'array' ? { key: 'too_short', params: p } : { key: 'too_small', params: p };
    case 'too_big':
      return p.origin === 'string' || p.origin === 'array' ? { key: 'too_long', params: p } : { key: 'too_big', params: p };
    case 'invalid_value':
    case 'invalid_union':
      return { key: 'invalid_value' };
    case 'invalid_format':
      return { key: 'invalid_format' };
    case 'unrecognized_keys':
      return { key: 'unknown_field' };
    default:
      return { key: 'invalid' };
  }
}

function send(reply: FastifyReply, locale: Locale, status: number, code: string, message: string, fields?: Record<string, FieldProblem>) {
  const body: { error: { code: string; message: string; fields?: Record<string, string> } } = { error: { code, message } };
  if (fields && Object.keys(fields).length) {
    body.error.fields = Object.fromEntries(Object.entries(fields).map(([k, f]) => {
      const params = { ...f.params };
      if (f.params?.expectedType) params.expected = (f.params.expectedType as any)[locale];
      return [k, t(locale, f.key, params)];
    }));
  }
  return reply.status(status).type('application/json; charset=utf-8').send(body);
}

/** `Key (region_id, kind)=…` in a PostgreSQL error detail → `regionId`, the field the client sent. */
function fieldFromDetail(detail: unknown, fallback: string) {
  const m = /^Key \(([^)]+)\)/.exec(String(detail ?? ''));
  const column = m?.[1]?.split(',').pop()?.trim();
  return column ? column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) : fallback;
}

/**
 * PostgreSQL errors that only bad input causes (SQLSTATE class 22 data exceptions, unique and
 * foreign-key violations) as 4xx; on PGlite and node-postgres alike the error carries `code`.
 */
function databaseInputError(err: unknown): { status: number; code: string; fields: Record<string, FieldProblem> } | null {
  const e = err as { code?: unknown; detail?: unknown; severity?: unknown };
  if (typeof e?.code !== 'string' || !/^[0-9A-Z]{5}$/.test(e.code) || e.severity === undefined) return null;
  if (e.code === '23505') return { status: 409, code: 'conflict', fields: { [fieldFromDetail(e.detail, 'body')]: { key: 'taken' } } };
  if (e.code === '23503') return { status: 400, code: 'validation_failed', fields: { [fieldFromDetail(e.detail, 'body')]: { key: 'no_such_reference' } } };
  if (e.code === '23514') return { status: 400, code: 'validation_failed', fields: { body: { key: 'invalid' } } };
  if (e.code.startsWith('22')) {
    const key = e.code === '22003' ? 'out_of_range' : e.code === '22007' || e.code === '22008' ? 'invalid_date' : e.code === '22021' || e.code === '22P05' ? 'bad_characters' : 'invalid';
    return { status: 400, code: 'validation_failed', fields: { body: { key } } };
  }
  return null;
}

/** Errors Fastify raises before routing (a path that is not valid percent-encoded UTF-8), in the same shape. */
export function frameworkErrors(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  const locale = localeOf(req);
  if (err.code === 'FST_ERR_BAD_URL') return send(reply, locale, 400, 'validation_failed', t(locale, 'validation_failed'), { url: { key: 'bad_characters' } });
  return send(reply, locale, err.statusCode && err.statusCode < 500 ? err.statusCode : 400, 'bad_request', t(locale, 'bad_request'));
}

/** One error shape for everything: {"error":{"code","message","fields"?}}; never a stack trace. */
export function installErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const locale = localeOf(req);
    if (err instanceof AppError) {
      // A refusal for a known time (a throttle's window, a lock) says when to come back.
      if ((err.status === 429 || err.status === 423) && typeof err.params.minutes === 'number') reply.header('retry-after', String(err.params.minutes * 60));
      return send(reply, locale, err.status, err.code, t(locale, err.messageKey, err.params), err.fields);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const fields: Record<string, FieldProblem> = {};
      for (const issue of err.validation as any[]) {
        let name = String(issue.instancePath).replace(/^\//, '').replace(/\//g, '.');
        if (issue.keyword === 'unrecognized_keys' && issue.params?.keys?.length) name = [name, issue.params.keys[0]].filter(Boolean).join('.');
        fields[name || (err as any).validationContext || 'body'] ??= zodIssueToProblem(issue);
      }
      return send(reply, locale, 400, 'validation_failed', t(locale, 'validation_failed'), fields);
    }
    if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (err.statusCode === 400 && err instanceof SyntaxError)) {
      return send(reply, locale, 400, 'invalid_json', t(locale, 'invalid_json'), { body: { key: 'invalid_format' } });
    }
    if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return send(reply, locale, 400, 'invalid_json', t(locale, 'invalid_json'), { body: { key: 'required' } });
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return send(reply, locale, 413, 'payload_too_large', t(locale, 'payload_too_large'));
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return send(reply, locale, 415, 'unsupported_media_type', t(locale, 'unsupported_media_type'));
    if (err.validation) {
      return send(reply, locale, 400, 'validation_failed', t(locale, 'validation_failed'), { [err.validationContext ?? 'body']: { key: 'invalid' } });
    }
    if (!isResponseSerializationError(err) && err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return send(reply, locale, err.statusCode, 'bad_request', t(locale, 'bad_request'));
    }
    const fromDb = databaseInputError(err);
    if (fromDb) {
      // A second guard: the edge should have refused this input; log it so the gap gets fixed there.
      req.log.warn({ err, reqId: req.id }, 'bad input reached the database');
      return send(reply, locale, fromDb.status, fromDb.code, t(locale, fromDb.code), fromDb.fields);
    }
    req.log.error({ err, reqId: req.id }, 'unhandled error');
    return send(reply, locale, 500, 'internal', t(locale, 'internal', { requestId: req.id }));
  });

  app.setNotFoundHandler((req, reply) => send(reply, localeOf(req), 404, 'route_not_found', t(localeOf(req), 'route_not_found')));
}
