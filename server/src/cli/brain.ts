import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../config.js';
import { saveDataFile, diskStore } from '../core/files.js';
import type { ModuleDeps } from '../core/module.js';
import { loadSecretKey, secretBox } from '../core/secret-box.js';
import { verifyExchangeLog } from '../modules/brain/exchange-log.js';
import { headerOf, requireKeyMapped, resolveMapping, sniffDataFile } from '../modules/brain/file-import.js';
import { datasetByName } from '../modules/brain/registry.js';
import { claimRun, enqueueRun, executeRun, loadDatasetShape } from '../modules/brain/runs.js';
import { openConfiguredDb } from './open.js';
import { progressReporter } from './progress.js';

/**
 * `redcom brain …`: a file import run in this process with a progress bar (the same run, mapping
 * and upsert as an upload in the console, so a killed import repeated adds no rows), and the
 * exchange log's verification.
 */
export function brainCommands(program: Command, config: Config) {
  const brain = program.command('brain').description('红色大脑数据中台 / Red Brain data hub');
  const withDeps = async <T>(fn: (deps: ModuleDeps) => Promise<T>) => {
    const dbh = await openConfiguredDb(config);
    try {
      return await fn({ db: dbh.db, bus: null, files: diskStore(path.join(config.dataDir, 'files')), secrets: secretBox(loadSecretKey(config)) });
    } finally {
      await dbh.close();
    }
  };

  brain.command('import').description('导入 CSV/.xlsx 到数据集（按主键更新，可重复执行）')
    .requiredOption('--dataset <name>', '数据集名称或编号')
    .option('--mapping <json>', '列名到字段的对应，如 {"证件号码":"idNumber"}；缺省用上次保存的或同名列')
    .argument('<file>')
    .action((file: string, o: { dataset: string; mapping?: string }) => withDeps(async (deps) => {
      const { db } = deps;
      const ds = /^\d+$/.test(o.dataset) ? { id: Number(o.dataset) } : await datasetByName(db, o.dataset);
      const shape = await loadDatasetShape(db, ds.id);
      const bytes = fs.readFileSync(file);
      const kind = sniffDataFile(bytes);
      const mapping = resolveMapping(await headerOf(bytes), shape.fields, o.mapping ? JSON.parse(o.mapping) : null, shape.upload_mapping);
      requireKeyMapped(shape, mapping);
      const stored = await saveDataFile(db, deps.files, bytes, kind === 'csv' ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', kind, null);
      const runId = await enqueueRun(db, { datasetId: shape.id, kind: 'file', fileId: stored.id, fileName: path.basename(file), mapping });
      const run = await claimRun(db, runId);
      if (!run) throw new Error(`run ${runId} was taken by a running server; follow it in the console`);
      console.log(`run #${runId}: importing ${path.basename(file)} into ${shape.name} (${(bytes.length / 1024 / 1024).toFixed(1)} MB)`);
      const bar = progressReporter('导入 rows');
      const done = await executeRun(deps, run, (p) => bar.update(Math.round(p.progress * 1000), 1000));
      bar.stop();
      console.log(`run #${done.id} ${done.status}: ${done.rows_in} rows read, ${done.inserted} inserted, ${done.updated} updated, ${done.unchanged} unchanged, ${done.rejected} rejected${done.error ? ` — ${done.error}` : ''}`);
      if (done.status !== 'succeeded') process.exitCode = 1;
    }));

  brain.command('run').description('立即运行一个拉取型连接器（sql / http_pull），显示进度').argument('<connectorId>')
    .option('--full', '全量核对：删除源端已不存在的行')
    .action((id: string, o: { full?: boolean }) => withDeps(async (deps) => {
      const c = await deps.db.selectFrom('brain_connectors').select(['id', 'name', 'kind', 'dataset_id']).where('id', '=', Number(id)).executeTakeFirst();
      if (!c) throw new Error(`no connector #${id}`);
      if (c.kind !== 'sql' && c.kind !== 'http_pull') throw new Error(`connector #${id} is a ${c.kind} connector: it receives data, it cannot be run`);
      const runId = await enqueueRun(deps.db, { datasetId: c.dataset_id, kind: c.kind, connectorId: c.id, mode: o.full ? 'full' : 'incremental' });
      const run = await claimRun(deps.db, runId);
      if (!run) throw new Error(`run ${runId} was taken by a running server; follow it in the console`);
      console.log(`run #${runId}: ${c.name} (${o.full ? 'full reconciliation' : 'incremental'})`);
      const bar = progressReporter('同步 rows');
      const done = await executeRun(deps, run, (p) => bar.update(Math.round(p.progress * 1000), 1000));
      bar.stop();
      console.log(`run #${done.id} ${done.status}: ${done.rows_in} rows read, ${done.inserted} inserted, ${done.updated} updated, ${done.unchanged} unchanged, ${done.rejected} rejected, ${done.deleted} deleted${done.error ? ` — ${done.error}` : ''}`);
      if (done.status !== 'succeeded') process.exitCode = 1;
    }));

  brain.command('verify-log').description('校验数据交换日志的哈希链与签名').action(() => withDeps(async (deps) => {
    const r = await verifyExchangeLog(deps.db, deps.secrets);
    if (r.ok) console.log(`exchange log OK: ${r.checked} records verified (hash chain and Ed25519 signatures, key ${r.keyId})`);
    else {
      console.error(`exchange log BROKEN at record #${r.brokenAt}: ${r.reason} (${r.checked} records before it are intact)`);
      process.exitCode = 1;
    }
  }));
}
