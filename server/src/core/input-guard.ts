import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fieldError } from './errors.js';

/**
 * Text PostgreSQL cannot store, refused at the edge for every route: a NUL byte fails any text
 * column (22021) and a lone UTF-16 surrogate fails a jsonb column (and silently turns into U+FFFD
 * in a text one). Answering 400 naming the field here keeps both out of every service.
 */
const NUL_OR_LONE_SURROGATE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Deeper JSON than any schema here uses; walking (or storing) it further only risks the stack. */
const MAX_DEPTH = 32;

export const isCleanText = (s: string) => !NUL_OR_LONE_SURROGATE.test(s);

/** The first field (dotted path, as validation errors name them) holding unstorable text, or null. */
export function findBadField(value: unknown, root = ''): { field: string; key: 'bad_characters' | 'too_deep' } | null {
  const stack: [unknown, string, number][] = [[value, root, 0]];
  while (stack.length) {
    const [v, path, depth] = stack.pop()!;
    if (typeof v === 'string') {
      if (!isCleanText(v)) return { field: path, key: 'bad_characters' };
    } else if (v && typeof v === 'object') {
      if (depth >= MAX_DEPTH) return { field: path, key: 'too_deep' };
      for (const [k, child] of Object.entries(v)) {
        // A bad key is reported on its parent: the key itself is not printable.
        if (!isCleanText(k)) return { field: path, key: 'bad_characters' };
        stack.push([child, path ? `${path}.${k}` : k, depth + 1]);
      }
    }
  }
  return null;
}

/** Throws a 400 naming the first field of `value` that holds unstorable text (`whole` when it is the value itself). */
export function assertCleanInput(value: unknown, whole = 'body') {
  const bad = findBadField(value);
  if (bad) throw fieldError(bad.field || whole, bad.key);
}

function checkRequest(req: FastifyRequest) {
  assertCleanInput(req.params, 'params');
  assertCleanInput(req.query, 'query');
  assertCleanInput(req.body, 'body');
}

/** Installs the check before validation on every route registered after it. */
export function installInputGuard(app: FastifyInstance) {
  app.addHook('preValidation', async (req) => checkRequest(req));
}
