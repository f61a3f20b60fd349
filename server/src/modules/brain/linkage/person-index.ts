/**
 * The person index (一人一档): a registry person and every source record linked to them by an
 * accepted link of a succeeded match job against the registry (auto-linked and not rejected in
 * review, or accepted in review). Guard against over-merging: records carrying different valid
 * 18-digit ID numbers are not one person, so such links are listed as split and the person flagged.
 * Values are masked; a holder of people:unmask may see them with a purpose, logged as people reveal is.
 */
import { sql } from 'kysely';
import type { Actor } from '../../../core/audit.js';
import { logPersonalDataAccess } from '../../../core/audit.js';
import type { AuthContext } from '../../../core/auth/context.js';
import { can } from '../../../core/auth/roles.js';
import { fromJson, type Db } from '../../../core/db.js';
import { AppError, fieldError, notFound } from '../../../core/errors.js';
import { requireSteward, rowAccess } from '../policy.js';
import { datasetForRead, maskValue } from '../rows.js';
import type { DatasetField } from '../tables.js';
import { registryDatasetId } from '../tasks/registry.js';
import { personSpec } from './spec.js';
import { standardiseIdNumber } from './standardise.js';

interface LinkedRow {
  job_id: number; left_id: number; right_id: number; dataset_id: number; dataset_name: string; department_name: string; key: string;
  v: unknown; data: unknown; updated_at: Date | string | null; weight: number | null; probability: number | null;
  decision: string | null; label: string | null;
}

export interface RecordRef { datasetId: number; datasetName: string; key: string }

/**
 * Splits links whose valid ID number disagrees with the person's. The person's ID is the
 * registry's when it is valid; without one, no linked ID can be preferred, so every record whose
 * valid ID differs from another's is split. Records without a valid ID never conflict.
 */
export function splitConflictingIds<T extends { ref: RecordRef; validId: string | null }>(registry: { ref: RecordRef; validId: string | null }, linked: T[]) {
  const pairs: { left: RecordRef; right: RecordRef }[] = [];
  const split = new Set<T>();
  if (registry.validId) {
    for (const r of linked) if (r.validId && r.validId !== registry.validId) { split.add(r); pairs.push({ left: registry.ref, right: r.ref }); }
  } else {
    const withId = linked.filter((r) => r.validId);
    for (let i = 0; i < withId.length; i++) {
      for (let j = i + 1; j < withId.length; j++) {
        if (withId[i].validId !== withId[j].validId) { split.add(withId[i]); split.add(withId[j]); pairs.push({ left: withId[i].ref, right: withId[j].ref }); }
      }
    }
  }
  return { split, pairs };
}

/** A compared field as a person's value: personal whatever the dataset declares (sex alone identifies no one); a birth date shows its year only. */
function personField(name: string, declared: DatasetField | undefined): DatasetField {
  const f: DatasetField = declared ?? { name, type: 'text', personal: 'personal' };
  return { ...f, personal: f.personal === 'none' && name !== 'sex' ? 'personal' : f.personal, type: name === 'birth_date' ? 'date' : f.type };
}

const rounded = (w: number | null) => (w == null ? null : Math.round(w * 100) / 100);
const iso = (d: Date | string | null) => (d == null ? null : new Date(d).toISOString());

export interface PersonQuery { unmasked?: boolean; purpose?: string }

export async function personIndexEntry(db: Db, auth: AuthContext, actor: Actor, personId: number, q: PersonQuery = {}) {
  requireSteward(auth);
  if (q.unmasked) {
    if (!can(auth.permissions, 'people:unmask')) throw new AppError(403, 'forbidden', 'cannot_unmask');
    if (!q.purpose?.trim()) throw fieldError('purpose', 'purpose_required');
  }
  const registryId = await registryDatasetId(db);
  if (!registryId) throw notFound();
  const key = String(personId);
  const row = await db.selectFrom('brain_rows').select(['data', 'updated_at']).where('dataset_id', '=', registryId).where('key', '=', key).executeTakeFirst();
  if (!row) throw notFound();
  const registryDs = await datasetForRead(db, registryId);
  const regAccess = await rowAccess(db, auth, registryDs);
  if (!regAccess.ok) throw regAccess.error;

  // Accepted links to this person in every succeeded job against the registry; a source record linked by several jobs is shown once, from the latest.
  const linked = (await sql<LinkedRow>`
    select distinct on (l.dataset_id, l.key)
      p.job_id, p.left_id, p.right_id, l.dataset_id, d.name as dataset_name, dep.name as department_name, l.key, l.v, b.data, b.updated_at,
      p.weight, p.probability, p.decision, p.label
    from brain_match_jobs j
    join brain_match_pairs p on p.job_id = j.id
    join brain_link_records r on r.id = p.right_id
    join brain_link_records l on l.id = p.left_id
    join brain_datasets d on d.id = l.dataset_id
    join brain_systems s on s.id = d.system_id
    join brain_departments dep on dep.id = s.department_id
    left join brain_rows b on b.dataset_id = l.dataset_id and b.key = l.key
    where j.status = 'succeeded' and j.right_dataset_id = ${registryId} and r.dataset_id = ${registryId} and r.key = ${key}
      and ((p.decision = 'auto' and p.label is distinct from 'non_match') or p.label = 'match')
    order by l.dataset_id, l.key, p.job_id desc`.execute(db)).rows;

  // Datasets the caller may no longer read (made 不予共享 since the job) are withheld, as review does.
  const datasets = new Map<number, { fields: DatasetField[] } | null>();
  for (const id of new Set(linked.map((r) => r.dataset_id))) {
    const ds = await datasetForRead(db, id);
    datasets.set(id, (await rowAccess(db, auth, ds)).ok ? ds : null);
  }
  const readable = linked.filter((r) => datasets.get(r.dataset_id));

  const present = (fields: DatasetField[], data: Record<string, unknown>) => {
    const byName = new Map(fields.map((f) => [f.name, f]));
    return Object.fromEntries(personSpec.fields.map((name) => {
      const raw = data[name] ?? null;
      const v = q.unmasked ? raw : maskValue(personField(name, byName.get(name)), raw);
      return [name, v == null || v === '' ? null : String(v)];
    }));
  };

  const regData = fromJson<Record<string, unknown>>(row.data);
  const regId = standardiseIdNumber(regData.id_no);
  const registryRef: RecordRef = { datasetId: registryId, datasetName: registryDs.name, key };
  const records = readable.map((r) => {
    const v = fromJson<Record<string, unknown>>(r.v);
    const validId = v.idv === true && typeof v.id === 'string' ? v.id : null;
    return { r, validId, ref: { datasetId: r.dataset_id, datasetName: r.dataset_name, key: r.key } };
  });
  const { split, pairs } = splitConflictingIds({ ref: registryRef, validId: regId.valid ? regId.value : null }, records);

  if (q.unmasked) {
    await logPersonalDataAccess(db, {
      actor_id: auth.accountId, kind: 'unmask', target_type: 'person', target_id: key,
      fields: personSpec.fields.filter((f) => f !== 'sex'), purpose: q.purpose!.trim(), ip: actor.ip, request_id: actor.requestId,
    });
  }
  const item = ({ r, ref }: (typeof records)[number]) => ({
    ...ref, departmentName: r.department_name, jobId: r.job_id, pairId: `${r.left_id}-${r.right_id}`,
    weight: rounded(r.weight), probability: r.probability,
    decidedBy: (r.label === 'match' ? 'review' : 'auto') as 'review' | 'auto',
    updatedAt: iso(r.updated_at),
    values: r.data ? present(datasets.get(r.dataset_id)!.fields, fromJson<Record<string, unknown>>(r.data)) : Object.fromEntries(personSpec.fields.map((f) => [f, null])),
  });
  return {
    personId: key, masked: !q.unmasked,
    registry: { ...registryRef, updatedAt: iso(row.updated_at), regionPath: typeof regData.region_path === 'string' ? regData.region_path : null, values: present(registryDs.fields, regData) },
    records: records.filter((x) => !split.has(x)).map(item),
    split: records.filter((x) => split.has(x)).map(item),
    withheld: linked.length - readable.length,
    flags: pairs.length ? [{ code: 'conflicting_ids' as const, pairs }] : [],
  };
}
