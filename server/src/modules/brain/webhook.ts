import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../../core/db.js';
import { AppError, fieldError } from '../../core/errors.js';
import { assertCleanInput } from '../../core/input-guard.js';
import type { ModuleDeps } from '../../core/module.js';
import { connectorSecrets } from './connectors.js';
import { appendExchange } from './exchange-log.js';
import { executeRun, registerRunExecutor, type RunRow } from './runs.js';
import { brainResponses } from './schemas.js';

/**
 * HTTP push (webhook): a source system posts a JSON array of rows to /api/brain/inbound/:key,
 * signed with the connector's secret over timestamp, nonce and the exact body. A request that
 * fails any check is refused with 401 and logged; an accepted batch is one 'webhook' run,
 * executed inside the request so that the sender gets the counts (rows are upserted by key, so a
 * batch sent twice adds nothing).
 */
export const MAX_INBOUND_ROWS = 10_000;
const MAX_INBOUND_BYTES = 8 * 1024 * 1024;
const WINDOW_SECONDS = 5 * 60;
/** Nonces outlive the timestamp window (±5 min), so a replay inside the window is always caught. */
const NONCE_KEEP_MINUTES = 10;

type Refusal = 'unknown_key' | 'connector_disabled' | 'missing_headers' | 'bad_signature' | 'stale_timestamp' | 'replayed_nonce';

/** Batches being executed by this process's requests, by run id: the executor's rows. */
const batches = new Map<number, Record<string, unknown>[]>();

registerRunExecutor('webhook', async (ctx) => {
  const rows = batches.get(ctx.run.id);
  // Only a queue takeover of a run whose process died finds no batch: the sender got no answer and sends it again.
  if (!rows) throw new Error('the pushed batch was lost with the process that received it; the sender resends it');
  await ctx.ingest(rows.map((values, i) => ({ rowNo: i + 1, values })));
});

async function webhookConnector(db: Db, key: string) {
  return db.selectFrom('brain_connectors as c').innerJoin('brain_datasets as ds', 'ds.id', 'c.dataset_id').innerJoin('brain_systems as s', 's.id', 'ds.system_id')
    .select(['c.id', 'c.name', 'c.enabled', 'c.secret', 'c.dataset_id', 's.id as system_id', 's.department_id'])
    .where('c.key', '=', key).where('c.kind', '=', 'webhook').executeTakeFirst();
}
type WebhookConnector = NonNullable<Awaited<ReturnType<typeof webhookConnector>>>;

const header = (req: FastifyRequest, name: string) => {
  const v = req.headers[name];
  return typeof v === 'string' ? v.trim() : '';
};

/**
 * The checks, in an order that tells an unauthenticated caller nothing: an unknown key and a bad
 * signature get the same answer; only a correctly signed request learns that it came too late or twice.
 */
async function authenticate(deps: ModuleDeps, req: FastifyRequest, key: string, body: string): Promise<WebhookConnector> {
  const c = await webhookConnector(deps.db, key);
  const refuse = async (reason: Refusal): Promise<never> => {
    await deps.db.transaction().execute((tx) => appendExchange(tx, deps.secrets, {
      kind: 'inbound', outcome: 'refused', connectorId: c?.id ?? null, datasetId: c?.dataset_id ?? null, departmentId: c?.department_id ?? null,
      systemId: c?.system_id ?? null, actorName: c?.name ?? null, detail: { reason, ip: req.ip, ...(c ? {} : { key: key.slice(0, 80) }) },
    }));
    const messageKey = reason === 'stale_timestamp' ? 'inbound_stale' : reason === 'replayed_nonce' ? 'inbound_replayed' : 'inbound_refused';
    throw new AppError(401, messageKey);
  };
  if (!c) return refuse('unknown_key');
  if (!c.enabled) return refuse('connector_disabled');
  const ts = header(req, 'x-timestamp'), nonce = header(req, 'x-nonce');
  const sig = /^sha256=([0-9a-f]{64})$/i.exec(header(req, 'x-signature'));
  if (!/^\d{1,12}$/.test(ts) || !/^[\x21-\x7e]{8,128}$/.test(nonce) || !sig) return refuse('missing_headers');
  const secret = connectorSecrets(deps, c.secret).webhookSecret;
  const expected = createHmac('sha256', secret ?? '').update(`${ts}.${nonce}.`).update(body, 'utf8').digest();
  if (!secret || !timingSafeEqual(expected, Buffer.from(sig[1], 'hex'))) return refuse('bad_signature');
  // Clocks drift both ways: a timestamp more than five minutes away from ours, past or future, is refused.
  if (Math.abs(Date.now() / 1000 - Number(ts)) > WINDOW_SECONDS) return refuse('stale_timestamp');
  const fresh = await deps.db.insertInto('brain_webhook_nonces').values({ connector_id: c.id, nonce })
    .onConflict((oc) => oc.columns(['connector_id', 'nonce']).doNothing()).returning('nonce').executeTakeFirst();
  if (!fresh) return refuse('replayed_nonce');
  return c;
}

function parseRows(body: string): Record<string, unknown>[] {
  let rows: unknown;
  try { rows = JSON.parse(body); } catch { throw new AppError(400, 'invalid_json', 'invalid_json', {}, { body: { key: 'invalid_format' } }); }
  if (!Array.isArray(rows)) throw fieldError('body', 'inbound_rows_array');
  if (rows.length > MAX_INBOUND_ROWS) throw fieldError('body', 'inbound_too_many_rows', { max: MAX_INBOUND_ROWS }, 413);
  const bad = rows.findIndex((r) => !r || typeof r !== 'object' || Array.isArray(r));
  if (bad >= 0) throw fieldError(`body.${bad}`, 'inbound_rows_array');
  assertCleanInput(rows);
  return rows as Record<string, unknown>[];
}

/** Takes one accepted batch into its dataset as a run of its own, claimed at birth so that no queue takes it. */
async function ingestBatch(deps: ModuleDeps, c: WebhookConnector, rows: Record<string, unknown>[]) {
  const run = await deps.db.insertInto('brain_runs').values({
    dataset_id: c.dataset_id, connector_id: c.id, kind: 'webhook', status: 'running', attempt: 1, stage: 'starting',
    started_at: new Date(), heartbeat_at: new Date(),
  }).returningAll().executeTakeFirstOrThrow();
  batches.set(run.id, rows);
  let done: RunRow;
  try { done = await executeRun(deps, run); } finally { batches.delete(run.id); }
  if (done.status !== 'succeeded') throw new Error(`webhook run ${run.id} failed: ${done.error}`);
  return { runId: done.id, rowsIn: done.rows_in, inserted: done.inserted, updated: done.updated, unchanged: done.unchanged, rejected: done.rejected };
}

/** The sweep's part: forgets nonces older than the window could ever accept again. */
export async function sweepWebhookNonces(db: Db) {
  const r = await db.deleteFrom('brain_webhook_nonces').where('seen_at', '<', sql<Date>`now() - make_interval(mins => ${NONCE_KEEP_MINUTES})`).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function brainInboundRoutes(app: FastifyInstance) {
  const deps = (): ModuleDeps => ({ db: app.dbh.db, bus: app.events, files: app.files, secrets: app.secrets });
  // The signature covers the body as sent: keep it as text here (this plugin's routes only) and parse it after the check.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.withTypeProvider<ZodTypeProvider>().post('/api/brain/inbound/:connectorKey', {
    config: { public: true },
    bodyLimit: MAX_INBOUND_BYTES,
    schema: {
      tags: ['brain'],
      summary: `推送数据（webhook）：JSON 数组，每项一行（字段名 → 值），至多 ${MAX_INBOUND_ROWS} 行；以 HMAC-SHA256 签名认证，签名错误、时间戳超过 5 分钟或 nonce 重复均拒绝（401）并记入交换日志`,
      params: z.object({ connectorKey: z.string().min(1).max(100) }),
      headers: z.object({
        'x-timestamp': z.string().optional().describe('Unix 时间（秒）'),
        'x-nonce': z.string().optional().describe('每次请求不同的随机串（8–128 个可见 ASCII 字符）'),
        'x-signature': z.string().optional().describe('sha256=<hex HMAC-SHA256(密钥, 时间戳 + "." + nonce + "." + 请求体)>'),
      }),
      response: brainResponses.inbound,
    },
  }, async (req) => {
    const body = typeof req.body === 'string' ? req.body : '';
    const c = await authenticate(deps(), req, req.params.connectorKey, body);
    return ingestBatch(deps(), c, parseRows(body));
  });
}
