import { randomBytes } from 'node:crypto';
import type { Actor } from '../../core/audit.js';
import { appendAudit } from '../../core/audit.js';
import type { AuthContext } from '../../core/auth/context.js';
import { fromJson, type Db } from '../../core/db.js';
import { AppError, fieldError, notFound } from '../../core/errors.js';
import { paginate, type PageQuery } from '../../core/paging.js';
import type { ModuleDeps } from '../../core/module.js';
import { requireSteward } from './policy.js';
import { presentRunSummary } from './registry.js';
import { enqueueRun, kickRuns } from './runs.js';
import type { ConnectorKind } from './tables.js';

/**
 * Connectors: a configured source for one dataset. Credentials (a database password, an API key,
 * an HMAC or webhook secret, a broker password) are split from the config at the edge, sealed with
 * the hub key (AES-256-GCM) and never returned: the API shows only that a secret is set.
 */
export type Secrets = Record<string, string>;

/** Splits credentials out of a connector's config: returns the config to store and the secrets to seal. */
export function splitSecrets(kind: ConnectorKind, config: Record<string, unknown>): { config: Record<string, unknown>; secrets: Secrets } {
  const c = structuredClone(config);
  const secrets: Secrets = {};
  const fromUrl = (field: string) => {
    const raw = c[field];
    if (typeof raw !== 'string') return;
    let u: URL;
    try { u = new URL(raw); } catch { throw fieldError(`config.${field}`, 'invalid_url'); }
    if (u.password) { secrets.password = decodeURIComponent(u.password); u.password = ''; }
    c[field] = u.toString();
  };
  if (kind === 'sql' || kind === 'mqtt') fromUrl('url');
  for (const k of ['password', 'apiKey', 'hmacSecret']) if (typeof c[k] === 'string') { secrets[k] = c[k] as string; delete c[k]; }
  return { config: c, secrets };
}

const KIND_RULES: Record<ConnectorKind, (c: Record<string, unknown>) => void> = {
  sql: (c) => {
    if (typeof c.url !== 'string' || !/^(mysql|mariadb):\/\//.test(c.url)) throw fieldError('config.url', 'connector_sql_url');
    if (typeof c.table !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(c.table)) throw fieldError('config.table', 'connector_identifier');
    if (c.watermark != null && (typeof c.watermark !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(c.watermark))) throw fieldError('config.watermark', 'connector_identifier');
  },
  http_pull: (c) => {
    if (typeof c.url !== 'string' || !/^https?:\/\//.test(c.url)) throw fieldError('config.url', 'invalid_url');
    if (c.format != null && c.format !== 'json' && c.format !== 'csv') throw fieldError('config.format', 'invalid_enum');
    if (c.itemsPath != null && (typeof c.itemsPath !== 'string' || !/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/.test(c.itemsPath))) throw fieldError('config.itemsPath', 'connector_path');
    const p = c.paging as Record<string, unknown> | null | undefined;
    if (p != null && !(p.type === 'page' || (p.type === 'cursor' && c.format !== 'csv' && typeof p.nextPath === 'string' && /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/.test(p.nextPath)))) throw fieldError('config.paging', 'connector_paging');
    const a = c.auth as Record<string, unknown> | null | undefined;
    if (a != null && !((a.type === 'api_key' && (a.header == null || /^[A-Za-z0-9-]{1,64}$/.test(String(a.header)))) || a.type === 'hmac')) throw fieldError('config.auth', 'connector_auth');
    if (c.maxPages != null && !(Number.isInteger(c.maxPages) && (c.maxPages as number) >= 1 && (c.maxPages as number) <= 10_000)) throw fieldError('config.maxPages', 'invalid');
  },
  webhook: () => {},
  mqtt: (c) => {
    if (typeof c.url !== 'string' || !/^mqtts?:\/\//.test(c.url)) throw fieldError('config.url', 'connector_mqtt_url');
    if (typeof c.topic !== 'string' || !c.topic.trim() || c.topic.length > 200) throw fieldError('config.topic', 'required');
  },
};

export interface ConnectorInput { kind: ConnectorKind; datasetId: number; name?: string; config: Record<string, unknown>; schedule?: { everyMinutes: number } | null; enabled?: boolean }

export async function createConnector(deps: ModuleDeps, auth: AuthContext, actor: Actor, b: ConnectorInput) {
  requireSteward(auth);
  const ds = await deps.db.selectFrom('brain_datasets').select(['id', 'name']).where('id', '=', b.datasetId).executeTakeFirst();
  if (!ds) throw fieldError('datasetId', 'not_found');
  KIND_RULES[b.kind](b.config);
  const { config, secrets } = splitSecrets(b.kind, b.config);
  // A webhook's secret is made here and shown once, in this answer.
  const webhookSecret = b.kind === 'webhook' ? randomBytes(32).toString('hex') : null;
  if (webhookSecret) secrets.webhookSecret = webhookSecret;
  const key = `${b.kind.replace('_', '-')}-${randomBytes(12).toString('base64url')}`;
  const every = b.schedule?.everyMinutes ?? null;
  const id = await deps.db.transaction().execute(async (tx) => {
    const row = await tx.insertInto('brain_connectors').values({
      key, name: b.name ?? `${ds.name} · ${b.kind}`, kind: b.kind, dataset_id: ds.id, config: JSON.stringify(config),
      secret: Object.keys(secrets).length ? deps.secrets.encrypt(JSON.stringify(secrets)) : null, schedule_minutes: every, enabled: b.enabled ?? true,
      next_run_at: every ? new Date(Date.now() + every * 60_000) : null, created_by: auth.accountId,
    }).returning('id').executeTakeFirstOrThrow();
    await appendAudit(tx, actor, { action: 'brain.connector.create', targetType: 'brain_connector', targetId: row.id, summary: { kind: b.kind, dataset: ds.name, config } });
    return row.id;
  });
  const c = await getConnector(deps.db, auth, id);
  return webhookSecret ? { ...c, secret: webhookSecret } : c;
}

export async function updateConnector(deps: ModuleDeps, auth: AuthContext, actor: Actor, id: number, b: { name?: string; config?: Record<string, unknown>; schedule?: { everyMinutes: number } | null; enabled?: boolean }) {
  requireSteward(auth);
  const cur = await deps.db.selectFrom('brain_connectors').selectAll().where('id', '=', id).executeTakeFirst();
  if (!cur) throw notFound();
  let sealed: string | null | undefined;
  let config: Record<string, unknown> | undefined;
  if (b.config) {
    KIND_RULES[cur.kind](b.config);
    const split = splitSecrets(cur.kind, b.config);
    config = split.config;
    // Credentials not given again are kept.
    const old = cur.secret ? JSON.parse(deps.secrets.decrypt(cur.secret)) as Secrets : {};
    const merged = { ...old, ...split.secrets };
    sealed = Object.keys(merged).length ? deps.secrets.encrypt(JSON.stringify(merged)) : null;
  }
  await deps.db.transaction().execute(async (tx) => {
    await tx.updateTable('brain_connectors').set({
      ...(b.name !== undefined && { name: b.name }), ...(config && { config: JSON.stringify(config), secret: sealed ?? null }),
      ...(b.schedule !== undefined && { schedule_minutes: b.schedule?.everyMinutes ?? null, next_run_at: b.schedule ? new Date(Date.now() + b.schedule.everyMinutes * 60_000) : null }),
      ...(b.enabled !== undefined && { enabled: b.enabled }), updated_at: new Date(),
    }).where('id', '=', id).execute();
    await appendAudit(tx, actor, { action: 'brain.connector.update', targetType: 'brain_connector', targetId: id, summary: { name: b.name, config, schedule: b.schedule, enabled: b.enabled } });
  });
  return getConnector(deps.db, auth, id);
}

/** The sealed credentials of a connector, for its executor. */
export function connectorSecrets(deps: Pick<ModuleDeps, 'secrets'>, sealed: string | null): Secrets {
  return sealed ? JSON.parse(deps.secrets.decrypt(sealed)) as Secrets : {};
}

function connectorsQuery(db: Db) {
  return db.selectFrom('brain_connectors as c').innerJoin('brain_datasets as ds', 'ds.id', 'c.dataset_id')
    .select((eb) => ['c.id', 'c.key', 'c.name', 'c.kind', 'c.dataset_id', 'ds.name as dataset_name', 'c.config', 'c.secret', 'c.schedule_minutes', 'c.enabled', 'c.watermark', 'c.next_run_at', 'c.created_at',
      eb.selectFrom('brain_runs as r').select('r.id').whereRef('r.connector_id', '=', 'c.id').orderBy('r.id', 'desc').limit(1).as('last_run_id')]);
}
type ConnectorRow = Awaited<ReturnType<ReturnType<typeof connectorsQuery>['executeTakeFirstOrThrow']>>;

function present(c: ConnectorRow, lastRun: Parameters<typeof presentRunSummary>[0] | undefined) {
  return {
    id: c.id, key: c.key, name: c.name, kind: c.kind, dataset: { id: c.dataset_id, name: c.dataset_name }, config: fromJson(c.config) as Record<string, unknown>,
    hasSecret: c.secret != null, schedule: c.schedule_minutes ? { everyMinutes: c.schedule_minutes } : null, enabled: c.enabled,
    watermark: fromJson(c.watermark) ?? null, nextRunAt: c.next_run_at, createdAt: c.created_at, lastRun: lastRun ? presentRunSummary(lastRun) : null,
    inboundPath: c.kind === 'webhook' ? `/api/brain/inbound/${c.key}` : null,
  };
}

export async function listConnectors(db: Db, auth: AuthContext, q: PageQuery & { datasetId?: number; kind?: ConnectorKind }) {
  requireSteward(auth);
  let qb = connectorsQuery(db);
  if (q.datasetId) qb = qb.where('c.dataset_id', '=', q.datasetId);
  if (q.kind) qb = qb.where('c.kind', '=', q.kind);
  const page = await paginate(qb.orderBy('c.id'), q);
  const runIds = page.items.map((c) => c.last_run_id).filter((x): x is number => x != null);
  const runs = runIds.length ? await db.selectFrom('brain_runs').selectAll().where('id', 'in', runIds).execute() : [];
  return { ...page, items: page.items.map((c) => present(c, runs.find((r) => r.id === c.last_run_id))) };
}

export async function getConnector(db: Db, auth: AuthContext, id: number) {
  requireSteward(auth);
  const c = await connectorsQuery(db).where('c.id', '=', id).executeTakeFirst();
  if (!c) throw notFound();
  const run = c.last_run_id ? await db.selectFrom('brain_runs').selectAll().where('id', '=', c.last_run_id).executeTakeFirst() : undefined;
  return present(c, run);
}

/** "Run now": queues a pull (sql, http_pull); a full run also removes rows the source no longer has. */
export async function runConnectorNow(deps: ModuleDeps, auth: AuthContext, id: number, mode: 'incremental' | 'full' = 'incremental') {
  requireSteward(auth);
  const c = await deps.db.selectFrom('brain_connectors').select(['id', 'kind', 'dataset_id', 'enabled']).where('id', '=', id).executeTakeFirst();
  if (!c) throw notFound();
  if (c.kind === 'webhook' || c.kind === 'mqtt') throw new AppError(409, 'conflict', 'connector_push_only');
  const busy = await deps.db.selectFrom('brain_runs').select('id').where('connector_id', '=', id).where('status', 'in', ['queued', 'running']).executeTakeFirst();
  if (busy) return { runId: busy.id };
  const runId = await enqueueRun(deps.db, { datasetId: c.dataset_id, kind: c.kind, connectorId: c.id, mode, createdBy: auth.accountId });
  kickRuns(deps);
  return { runId };
}

/** The sweep's part: queues a run for each enabled, scheduled connector that is due and not already queued or running. */
export async function queueScheduledConnectors(deps: ModuleDeps) {
  const due = await deps.db.selectFrom('brain_connectors').select(['id', 'kind', 'dataset_id', 'schedule_minutes'])
    .where('enabled', '=', true).where('schedule_minutes', 'is not', null).where('next_run_at', '<=', new Date()).where('kind', 'in', ['sql', 'http_pull']).execute();
  for (const c of due) {
    const next = new Date(Date.now() + c.schedule_minutes! * 60_000);
    const claimed = await deps.db.updateTable('brain_connectors').set({ next_run_at: next }).where('id', '=', c.id).where('next_run_at', '<=', new Date()).returning('id').executeTakeFirst();
    if (!claimed) continue; // another instance took this tick
    const busy = await deps.db.selectFrom('brain_runs').select('id').where('connector_id', '=', c.id).where('status', 'in', ['queued', 'running']).executeTakeFirst();
    if (!busy) await enqueueRun(deps.db, { datasetId: c.dataset_id, kind: c.kind, connectorId: c.id });
  }
  return due.length;
}
