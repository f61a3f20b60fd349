import { defineModule } from '../../core/module.js';
import { expireApprovals } from './approvals.js';
import { queueScheduledConnectors } from './connectors.js';
import './file-import.js';
import './http-pull.js';
import './sql-pull.js';
import { sweepRetention } from './retention.js';
import { hubFigures } from './registry.js';
import { brainRoutes } from './routes.js';
import { drainMatchJobs } from './linkage/jobs.js';
import { linkageRoutes } from './linkage/routes.js';
import { drainRuns } from './runs.js';
import { mqttWorker } from './mqtt.js';
import { brainInboundRoutes, sweepWebhookNonces } from './webhook.js';
import { seedBrain } from './seed.js';
import { escalateOverdueTasks } from './tasks/escalate.js';
import { syncRegistryDataset } from './tasks/registry.js';
import { taskRoutes } from './tasks/routes.js';
import { readTaskFile } from './tasks/service.js';
import { taskFigures } from './tasks/figures.js';

const permissions = {
  'brain:manage': '管理红色大脑数据中台：登记部门、系统与数据集，配置连接器，上传导入，查看运行记录与数据交换日志',
  'brain:use': '浏览政务数据资源目录，申请使用有条件共享的数据，读取已获批准的数据',
  'brain:approve': '审批本部门所提供数据集的使用申请',
  'task:verify': '查看并办结本辖区（网格员为本网格）的核查任务',
} as const;
declare module '../../core/auth/roles.js' { interface PermissionRegistry extends Record<keyof typeof permissions, true> {} }

/** Red Brain (红色大脑) data hub: registry, connectors and runs, catalogue and approvals, the signed exchange log. */
export const brainModule = defineModule({
  name: 'brain',
  routes: [brainRoutes, brainInboundRoutes, linkageRoutes, taskRoutes],
  fileReaders: [readTaskFile],
  permissions,
  grants: {
    data_admin: ['brain:manage', 'brain:use'],
    department_user: ['brain:use', 'brain:approve'],
    street_worker: ['task:verify'], community_worker: ['task:verify'], grid_worker: ['task:verify'],
  },
  tables: ['brain_departments', 'brain_department_accounts', 'brain_systems', 'brain_datasets', 'brain_dataset_consumers', 'brain_rows', 'brain_connectors',
    'brain_runs', 'brain_run_rejects', 'brain_webhook_nonces', 'brain_approvals', 'brain_exchange_log', 'brain_link_records', 'brain_match_jobs', 'brain_match_pairs',
    'brain_builtin_datasets', 'brain_verification_tasks'],
  sweeps: [
    // Queued, retried and orphaned runs (any instance may take one), then scheduled pulls that are due.
    { name: 'brain runs', everyMs: 5_000, run: async (deps) => { await queueScheduledConnectors(deps); return drainRuns(deps); } },
    // Match jobs: queued ones, and running ones whose instance died (restarted from their first stage).
    { name: 'brain match jobs', everyMs: 5_000, run: (deps) => drainMatchJobs(deps) },
    { name: 'brain approvals expiry', everyMs: 60_000, run: (deps) => expireApprovals(deps.db, deps.secrets) },
    { name: 'brain retention', everyMs: 15 * 60_000, run: (deps) => sweepRetention(deps) },
    // Verification tasks past their deadline: to the community, then to the street.
    { name: 'brain verification tasks', everyMs: 60_000, run: (deps) => escalateOverdueTasks(deps) },
    { name: 'brain webhook nonces', everyMs: 60_000, run: (deps) => sweepWebhookNonces(deps.db) },
  ],
  // MQTT subscriptions: one instance holds each connector's session (see mqtt.ts).
  workers: [mqttWorker],
  // The hub's figures on the district's screen; verification tasks on every level's.
  cockpit: async (db, scopePath) => ({ ...(await hubFigures(db, scopePath)), ...(await taskFigures(db, scopePath)) }),
  // The hub's registers, then the population registry as its built-in dataset 人口库（一人一档）.
  seed: async (tx, demo) => ({ ...(await seedBrain(tx, demo)), registryRows: (await syncRegistryDataset(tx)).rows }),
});
