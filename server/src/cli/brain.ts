import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { Config } from '../config.js';
import { cliActor } from '../core/audit.js';
import type { Db } from '../core/db.js';
import { AppError } from '../core/errors.js';
import { saveDataFile, diskStore } from '../core/files.js';
import { t } from '../core/i18n.js';
import type { ModuleDeps } from '../core/module.js';
import { loadSecretKey, secretBox } from '../core/secret-box.js';
import { verifyExchangeLog } from '../modules/brain/exchange-log.js';
import { headerOf, requireKeyMapped, resolveMapping, sniffDataFile } from '../modules/brain/file-import.js';
import { STAGES, type JobProgress } from '../modules/brain/linkage/engine.js';
import { claimMatchJob, executeMatchJob, getMatchJob } from '../modules/brain/linkage/jobs.js';
import { startMatchJobAs } from '../modules/brain/linkage/service.js';
import { operatorAccess } from '../modules/brain/policy.js';
import { datasetByName } from '../modules/brain/registry.js';
import { claimRun, enqueueRun, executeRun, loadDatasetShape } from '../modules/brain/runs.js';
import { openConfiguredDb } from './open.js';
import { progressReporter } from './progress.js';

/**
 * `redcom brain …`: a file import run in this process with a progress bar (the same run, mapping
 * and upsert as an upload in the console, so a killed import repeated adds no rows), a match job
 * run in this process (the same job, exchange-log records and audit as one started in the console),
 * and the exchange log's verification.
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
      const shape = await loadDatasetShape(db, await datasetIdOf(db, o.dataset));
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

  brain.command('match').description('两个人员数据集之间的数据比对（一人一档），显示进度、配对数与各阶段用时')
    .requiredOption('--left <name>', '左侧数据集名称或编号（通常是部门名单）')
    .requiredOption('--right <name>', '右侧数据集名称或编号（通常是人口库）')
    .option('--auto <p>', '自动关联阈值（匹配概率）', probabilityArg, 0.95)
    .option('--review <p>', '人工复核阈值（匹配概率）', probabilityArg, 0.5)
    .action((o: { left: string; right: string; auto: number; review: number }) => withDeps(async (deps) => {
      const { db } = deps;
      const body = { leftDatasetId: await datasetIdOf(db, o.left), rightDatasetId: await datasetIdOf(db, o.right), thresholds: { auto: o.auto, review: o.review } };
      const { id } = await startMatchJobAs(db, deps.secrets, { accountId: null, actor: cliActor('cli'), access: operatorAccess }, body).catch(readable);
      const job = await claimMatchJob(db, id);
      if (!job) throw new Error(`match job ${id} was taken by a running server; follow it in the console`);
      console.log(`match job #${id}: ${o.left} × ${o.right} (auto ≥ ${o.auto}, review ≥ ${o.review})`);
      // One bar per stage: pairs as they are compared; the other stages move the job's own progress (‰).
      const shown = { stage: '', bar: null as ReturnType<typeof progressReporter> | null };
      await executeMatchJob(db, job, (p: JobProgress) => {
        if (p.stage !== shown.stage) {
          shown.bar?.stop();
          shown.stage = p.stage;
          shown.bar = progressReporter(`${STAGE_LABELS[p.stage]} ${p.stage}${p.stage === 'compare' ? ' pairs' : ' ‰'}`);
        }
        if (p.stage === 'compare') shown.bar!.update(p.pairsDone, p.pairsTotal);
        else shown.bar!.update(Math.round(p.progress * 1000), 1000);
      });
      shown.bar?.stop();
      const done = await getMatchJob(db, id);
      const c = done.counts;
      console.log(`match job #${done.id} ${done.status} (attempt ${done.attempt})${done.error ? ` — ${done.error}` : ''}`);
      if (done.status === 'succeeded') {
        console.log(`candidate pairs ${c.candidatePairs}, auto ${c.auto}, review ${c.review}, none ${c.none}, pairs per record ${c.pairsPerRecord} (left ${c.leftRecords} records, right ${c.rightRecords})`);
        console.log(`pairs per blocking rule: ${done.ruleCounts.map((r) => `${r.label} (${r.rule}) ${r.pairs}`).join(', ')}`);
        console.log(`time per stage: ${[...STAGES, 'total'].filter((s) => s in done.timings).map((s) => `${s} ${done.timings[s]} ms`).join(', ')}`);
      }
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

const STAGE_LABELS: Record<JobProgress['stage'], string> = { standardise: '标准化', block: '分块', compare: '比较', estimate: '估计', score: '评分', decide: '判定' };

/** A dataset named on the command line by its id or its name. */
async function datasetIdOf(db: Db, arg: string): Promise<number> {
  if (/^\d+$/.test(arg)) return Number(arg);
  const ds = await datasetByName(db, arg).catch((err) => {
    if (err instanceof AppError && err.status === 404) throw new Error(`数据集不存在 / no dataset named "${arg}"`);
    return readable(err);
  });
  return ds.id;
}

function probabilityArg(v: string): number {
  const p = Number(v);
  if (!(p > 0 && p <= 1)) throw new InvalidArgumentError('a match probability in (0, 1] / 须为 (0, 1] 之间的匹配概率');
  return p;
}

/** An AppError carries a message key, not words: give the operator the words. */
function readable(err: unknown): never {
  if (!(err instanceof AppError)) throw err;
  const fields = Object.entries(err.fields ?? {}).map(([f, p]) => `${f}: ${t('zh-CN', p.key, p.params)}`);
  throw new Error(fields.length ? fields.join('; ') : t('zh-CN', err.messageKey, err.params));
}

