import type { AuthContext } from '../../core/auth/context.js';
import { logPersonalDataAccess, type Actor } from '../../core/audit.js';
import { fromJson, type Db } from '../../core/db.js';
import { AppError, fieldError, notFound } from '../../core/errors.js';
import { maskIdNumber, maskPhone } from '../../core/identity.js';
import type { SecretBox } from '../../core/secret-box.js';
import { appendExchange, contentHash } from './exchange-log.js';
import { isSteward, rowAccess } from './policy.js';
import type { DatasetField } from './tables.js';

/**
 * Reading a dataset's rows through the API: access decided by policy.rowAccess, personal fields
 * masked unless the caller asks for them with a purpose (then logged as personal-data access),
 * and every read — allowed or refused — appended to the exchange log with the content's SHA-256.
 */

/** Masks one personal value by what it looks like: an ID number, a phone, a name, a date, or other text. */
export function maskValue(f: DatasetField, v: unknown): unknown {
  if (v == null || f.personal === 'none') return v;
  if (typeof v === 'number') return null;
  const s = String(v);
  if (/^\d{17}[\dXx]$|^\d{15}$/.test(s)) return maskIdNumber(s);
  if (/^1\d{10}$/.test(s)) return maskPhone(s);
  if (f.type === 'date') return `${s.slice(0, 4)}-**-**`;
  if (f.type === 'timestamp') return `${s.slice(0, 10)} **:**`;
  if (/^[\u4e00-\u9fff·]{2,6}$/.test(s)) return s[0] + '*'.repeat(s.length - 1);
  if (s.length <= 2) return '*'.repeat(s.length);
  return s[0] + '*'.repeat(Math.min(6, s.length - 2)) + s[s.length - 1];
}

export async function datasetForRead(db: Db, id: number) {
  const d = await db.selectFrom('brain_datasets').innerJoin('brain_systems', 'brain_systems.id', 'brain_datasets.system_id')
    .select(['brain_datasets.id', 'brain_datasets.name', 'brain_datasets.share_type', 'brain_datasets.fields', 'brain_datasets.purpose', 'brain_systems.department_id as provider_department_id', 'brain_systems.id as system_id'])
    .where('brain_datasets.id', '=', id).executeTakeFirst();
  if (!d) throw notFound();
  return { ...d, fields: fromJson(d.fields) as DatasetField[] };
}

/** sample: the dataset page's view, for its provider and the hub's stewards only. */
export interface RowsQuery { page: number; pageSize: number; unmasked?: boolean; purpose?: string; q?: string; sample?: boolean }

export async function readDatasetRows(db: Db, secrets: SecretBox, auth: AuthContext, actor: Actor, id: number, q: RowsQuery) {
  const ds = await datasetForRead(db, id);
  const access = await rowAccess(db, auth, ds);
  if (!access.ok) {
    await db.transaction().execute((tx) => appendExchange(tx, secrets, {
      kind: 'read', outcome: 'denied', departmentId: access.departmentId, accountId: auth.accountId, actorName: actor.name, datasetId: ds.id, systemId: ds.system_id,
      purpose: q.purpose ?? null, detail: { reason: access.reason, page: q.page },
    }));
    throw access.error;
  }
  if (q.sample && !(access.as === 'provider' || isSteward(auth))) throw new AppError(403, 'forbidden');
  if (q.unmasked && !q.purpose) throw fieldError('purpose', 'unmask_purpose_required');
  // Stewards look after the hub; they see masked values only.
  if (q.unmasked && access.as === 'steward') throw new AppError(403, 'forbidden', 'dataset_steward_masked');
  const fields = ds.fields.filter((f) => access.fields.includes(f.name));
  let qb = db.selectFrom('brain_rows').where('dataset_id', '=', ds.id);
  if (q.q) qb = qb.where('key', 'like', `${q.q}%`);
  const [rows, total] = await Promise.all([
    qb.select(['key', 'data', 'updated_at']).orderBy('key').limit(q.pageSize).offset((q.page - 1) * q.pageSize).execute(),
    qb.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const items = rows.map((r) => {
    const data = fromJson(r.data) as Record<string, unknown>;
    return { key: r.key, updatedAt: r.updated_at, values: Object.fromEntries(fields.map((f) => [f.name, q.unmasked ? data[f.name] ?? null : maskValue(f, data[f.name] ?? null)])) };
  });
  const sha = contentHash(items.map((i) => i.values));
  await db.transaction().execute(async (tx) => {
    await appendExchange(tx, secrets, {
      kind: 'read', outcome: 'ok', departmentId: access.departmentId, accountId: auth.accountId, actorName: actor.name, datasetId: ds.id, systemId: ds.system_id,
      approvalId: access.approvalId, rowCount: items.length, contentSha256: sha, purpose: q.purpose ?? access.purpose,
      detail: { as: access.as, page: q.page, masked: !q.unmasked, fields: fields.map((f) => f.name) },
    });
    if (q.unmasked && fields.some((f) => f.personal !== 'none')) {
      await logPersonalDataAccess(tx, {
        actor_id: auth.accountId, kind: 'unmask', target_type: 'brain_dataset', target_id: String(ds.id),
        fields: fields.filter((f) => f.personal !== 'none').map((f) => f.name), purpose: q.purpose!, ip: actor.ip, request_id: actor.requestId,
      });
    }
  });
  return {
    dataset: { id: ds.id, name: ds.name, shareType: ds.share_type }, access: access.as, masked: !q.unmasked, contentSha256: sha,
    fields: fields.map((f) => ({ name: f.name, label: f.label ?? null, type: f.type, personal: f.personal })),
    items, total: Number(total.n), page: q.page, pageSize: q.pageSize,
  };
}

/** The dataset page's sample for stewards and the provider: 20 rows, always masked. */
export async function sampleRows(db: Db, secrets: SecretBox, auth: AuthContext, actor: Actor, id: number) {
  return readDatasetRows(db, secrets, auth, actor, id, { page: 1, pageSize: 20, sample: true });
}
