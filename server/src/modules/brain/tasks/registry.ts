import { appendAudit, type Actor } from '../../../core/audit.js';
import type { AuthContext } from '../../../core/auth/context.js';
import type { Db, Executor } from '../../../core/db.js';
import type { SecretBox } from '../../../core/secret-box.js';
import { appendExchange } from '../exchange-log.js';
import { requireSteward } from '../policy.js';
import { registryRows } from '../../people/registry-rows.js';
import { deleteRowsNotIn, upsertRows, type NormalRow, type UpsertCounts } from '../ingest.js';
import type { DatasetField } from '../tables.js';

/**
 * The population registry (the people module's persons) as a built-in dataset of the hub,
 * 人口库（一人一档）: the catalogue shows it like any other, match jobs link lists to it, and
 * verification tasks go out for its people. Its rows are copies of the registry in the person
 * contract's field names, keyed by person id, synced through the same upsert as any import
 * (so unchanged persons cost a read, and their standardised records stay).
 */
export const REGISTRY_CODE = 'population_registry';
export const REGISTRY_NAME = '人口库（一人一档）';
const DEPARTMENT = { code: 'dsjzx', name: '盐南高新区大数据中心', level: 'district' };
const SYSTEM = { code: 'rkk', name: '人口综合信息库', description: '实有人口一人一档：由社区人员登记同步，平台内置' };

export const REGISTRY_FIELDS: DatasetField[] = [
  { name: 'person_id', label: '人员编号', type: 'text', personal: 'none', key: true },
  { name: 'name', label: '姓名', type: 'text', personal: 'personal' },
  { name: 'sex', label: '性别', type: 'text', personal: 'none' },
  { name: 'birth_date', label: '出生日期', type: 'date', personal: 'personal' },
  { name: 'id_no', label: '身份证号', type: 'text', personal: 'personal' },
  { name: 'phone', label: '手机号', type: 'text', personal: 'personal' },
  { name: 'address', label: '住址', type: 'text', personal: 'personal' },
  { name: 'region_path', label: '所在区域路径', type: 'text', personal: 'none' },
];

/** The registry dataset's id, or null before the first sync. */
export async function registryDatasetId(db: Executor): Promise<number | null> {
  const r = await db.selectFrom('brain_builtin_datasets').select('dataset_id').where('code', '=', REGISTRY_CODE).executeTakeFirst();
  return r?.dataset_id ?? null;
}

/** Creates the registry's department, system and dataset once (idempotent), and returns the dataset id. */
export async function ensureRegistryDataset(db: Executor): Promise<number> {
  const known = await registryDatasetId(db);
  if (known) return known;
  await db.insertInto('brain_departments').values(DEPARTMENT).onConflict((oc) => oc.column('code').doNothing()).execute();
  const dep = await db.selectFrom('brain_departments').select('id').where('code', '=', DEPARTMENT.code).executeTakeFirstOrThrow();
  await db.insertInto('brain_systems').values({ department_id: dep.id, ...SYSTEM }).onConflict((oc) => oc.columns(['department_id', 'code']).doNothing()).execute();
  const sys = await db.selectFrom('brain_systems').select('id').where('department_id', '=', dep.id).where('code', '=', SYSTEM.code).executeTakeFirstOrThrow();
  await db.insertInto('brain_datasets').values({
    system_id: sys.id, name: REGISTRY_NAME, description: '平台内置：社区登记的实有人口，每人一条，作为数据比对与核查任务的基准',
    fields: JSON.stringify(REGISTRY_FIELDS), key_fields: ['person_id'], share_type: 'conditional', update_cycle: 'daily',
    legal_basis: 'legal_duty', purpose: '依法履行基层治理与公共服务职责',
  }).onConflict((oc) => oc.columns(['system_id', 'name']).doNothing()).execute();
  const ds = await db.selectFrom('brain_datasets').select('id').where('system_id', '=', sys.id).where('name', '=', REGISTRY_NAME).executeTakeFirstOrThrow();
  await db.insertInto('brain_builtin_datasets').values({ code: REGISTRY_CODE, dataset_id: ds.id }).onConflict((oc) => oc.column('code').doNothing()).execute();
  return (await registryDatasetId(db))!;
}

export interface RegistrySync extends UpsertCounts { datasetId: number; rows: number; deleted: number; ms: number }

/**
 * Copies the registry into its dataset in batches (persons in id order), then removes the rows of
 * persons no longer registered. Given the global handle, each batch is its own transaction, so a
 * long sync does not hold one open; given a transaction (the seed), it runs inside it.
 */
export async function syncRegistryDataset(db: Executor, batch = 2000): Promise<RegistrySync> {
  const t0 = Date.now();
  const datasetId = await ensureRegistryDataset(db);
  const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
  const keys = new Set<string>();
  for (let after = 0; ;) {
    const persons = await registryRows(db, after, batch);
    if (!persons.length) break;
    after = persons[persons.length - 1].id;
    const rows: NormalRow[] = persons.map((p) => ({
      key: String(p.id), observedAt: null,
      data: { person_id: String(p.id), name: p.name, sex: p.sex, birth_date: p.birth_date, id_no: p.id_number, phone: p.phone, address: p.address, region_path: p.region_path },
    }));
    for (const r of rows) keys.add(r.key);
    const c = db.isTransaction ? await upsertRows(db, datasetId, rows) : await db.transaction().execute((tx) => upsertRows(tx, datasetId, rows));
    counts.inserted += c.inserted; counts.updated += c.updated; counts.unchanged += c.unchanged;
  }
  const deleted = await deleteRowsNotIn(db, datasetId, keys);
  await db.updateTable('brain_datasets').set({ row_count: keys.size, last_sync_at: new Date(), updated_at: new Date() }).where('id', '=', datasetId).execute();
  return { datasetId, rows: keys.size, ...counts, deleted, ms: Date.now() - t0 };
}

/** A steward's sync from the console: the rows flow into the hub like a run's, so the exchange log records it, and the audit log too. */
export async function syncRegistryAs(db: Db, secrets: SecretBox, auth: AuthContext, actor: Actor): Promise<RegistrySync> {
  requireSteward(auth);
  const out = await syncRegistryDataset(db);
  await db.transaction().execute(async (tx) => {
    const ds = await tx.selectFrom('brain_datasets').innerJoin('brain_systems', 'brain_systems.id', 'brain_datasets.system_id')
      .select(['brain_systems.department_id', 'brain_systems.id as system_id']).where('brain_datasets.id', '=', out.datasetId).executeTakeFirstOrThrow();
    await appendExchange(tx, secrets, {
      kind: 'run', outcome: 'ok', departmentId: ds.department_id, systemId: ds.system_id, accountId: auth.accountId, actorName: actor.name, datasetId: out.datasetId,
      rowCount: out.inserted + out.updated, detail: { runKind: 'registry', rowsIn: out.rows, inserted: out.inserted, updated: out.updated, unchanged: out.unchanged, deleted: out.deleted },
    });
    await appendAudit(tx, actor, { action: 'brain.registry.sync', targetType: 'brain_dataset', targetId: out.datasetId, summary: { rows: out.rows, inserted: out.inserted, updated: out.updated, deleted: out.deleted } });
  });
  return out;
}
