import { sql } from 'kysely';
import type { ModuleDeps } from '../../core/module.js';
import { appendExchange } from './exchange-log.js';

/**
 * PIPL retention: rows of a dataset with a retention period (sensitive data: health, whereabouts,
 * probe sightings) are deleted once their own time (time_field, else arrival) is older than it.
 * Each deletion is one exchange-log record with the count; rows go in batches so a large
 * backlog never holds one long transaction.
 */
export async function sweepRetention(deps: ModuleDeps, now = new Date()) {
  const due = await deps.db.selectFrom('brain_datasets').innerJoin('brain_systems', 'brain_systems.id', 'brain_datasets.system_id')
    .select(['brain_datasets.id', 'brain_datasets.retention_days', 'brain_systems.department_id', 'brain_systems.id as system_id']).where('retention_days', 'is not', null).execute();
  let total = 0;
  for (const ds of due) {
    const cutoff = new Date(now.getTime() - ds.retention_days! * 86400_000);
    let deleted = 0;
    for (;;) {
      const r = await sql<{ n: number }>`
        with gone as (
          delete from brain_rows where ctid in (
            select ctid from brain_rows where dataset_id = ${ds.id} and coalesce(observed_at, first_seen_at) < ${cutoff} limit 5000)
          returning 1)
        select count(*)::int as n from gone`.execute(deps.db);
      const n = r.rows[0].n;
      deleted += n;
      if (n < 5000) break;
    }
    if (!deleted) continue;
    total += deleted;
    await deps.db.transaction().execute(async (tx) => {
      await tx.updateTable('brain_datasets').set({ row_count: sql<number>`greatest(0, row_count - ${deleted})` }).where('id', '=', ds.id).execute();
      await appendExchange(tx, deps.secrets, {
        kind: 'retention', outcome: 'deleted', departmentId: ds.department_id, systemId: ds.system_id, datasetId: ds.id, actorName: 'system', rowCount: deleted,
        detail: { retentionDays: ds.retention_days, before: cutoff.toISOString() },
      });
    });
  }
  return total;
}
