import { Command, Option } from 'commander';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { cliActor, verifyAudit } from '../core/audit.js';
import { backup, restore } from '../core/backup.js';
import { migrate } from '../core/migrate.js';
import { createAccount, resetPassword, syncRoles } from '../modules/people/accounts.js';
import { ROLES } from '../modules/index.js';
import { createDistrictRoot } from '../modules/regions/service.js';
import { seed, type SeedScale } from '../seed/seed.js';
import { openConfiguredDb } from './open.js';
import { brainCommands } from './brain.js';
import { serve } from './serve.js';
import { readPassword } from './prompt.js';
import { progressReporter } from './progress.js';

const config = loadConfig();
const program = new Command('redcom').description('红色社区 Red Community').showHelpAfterError();

/** Runs a command against the configured database and closes it afterwards. */
async function withDb<T>(fn: (dbh: Awaited<ReturnType<typeof openConfiguredDb>>) => Promise<T>, opts?: { migrateFirst?: boolean }) {
  const dbh = await openConfiguredDb(config, opts);
  try {
    return await fn(dbh);
  } finally {
    await dbh.close();
  }
}

program.command('serve').description('启动服务 / start the server').action(async () => { await serve(config); });

program.command('migrate').description('执行数据库迁移 / apply migrations').action(() => withDb(async ({ db }) => {
  const applied = await migrate(db);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
}, { migrateFirst: false }));

program.command('seed').description('生成演示数据 / seed the synthetic demo district')
  .addOption(new Option('--scale <scale>', 'demo or district (620,000 persons)').choices(['demo', 'district']).default('demo'))
  .action((opts: { scale: SeedScale }) => withDb(async ({ db }) => {
    await syncRoles(db, ROLES);
    const progress = progressReporter('生成人口 persons');
    const s = await seed(db, opts.scale, (p) => { if (p.total) progress.update(p.done, p.total); });
    progress.stop();
    console.log(`seeded (${opts.scale}): ${s.regions} regions, ${s.households} households, ${s.persons} persons, ${s.organisations} organisations, ${s.accounts} accounts in ${(s.ms / 1000).toFixed(1)} s`);
  }));

program.command('region').description('区域 / regions').command('add-root').description('新建区（空数据库的根节点，生产环境初始化用）')
  .requiredOption('--code <code>').requiredOption('--name <name>')
  .action((o) => withDb(async ({ db }) => {
    const r = await createDistrictRoot(db, cliActor('cli:region add-root'), o.code, o.name);
    console.log(`created district ${r.name} (#${r.id}, code ${r.code})`);
  }));

const user = program.command('user').description('账号管理 / accounts');
user.command('add').description('新建账号（生产环境的第一个区级管理员）')
  .requiredOption('--username <name>')
  .option('--password <password>', 'omit to be asked')
  .option('--name <displayName>')
  .option('--phone <phone>')
  .option('--role <role...>', 'role codes', ['district_admin'])
  .option('--scope <region>', 'region code or id of the data scope; default: the district root')
  .action((o) => withDb(async ({ db }) => {
    await syncRoles(db, ROLES);
    const scope = o.scope
      ? await db.selectFrom('regions').select('id').where((eb) => eb.or([eb('code', '=', o.scope), ...(/^\d+$/.test(o.scope) ? [eb('id', '=', Number(o.scope))] : [])])).executeTakeFirst()
      : await db.selectFrom('regions').select('id').where('parent_id', 'is', null).orderBy('id').limit(1).executeTakeFirst();
    if (!scope) throw new Error('找不到数据范围区域 / no such region: create the district first with `redcom region add-root --code CODE --name NAME`, or give --scope');
    const password = o.password ?? await readPassword('密码 / password: ');
    const a = await createAccount(db, null, cliActor('cli:user add'), {
      username: o.username, password, displayName: o.name ?? o.username, phone: o.phone ?? null, roles: o.role, scopeRegionId: scope.id,
    });
    console.log(`created account ${a.username} (#${a.id}) roles=${a.roles.join(',')}`);
  }));
user.command('passwd').description('重置密码').argument('<username>').option('--password <password>')
  .action((username: string, o) => withDb(async ({ db }) => {
    const a = await db.selectFrom('accounts').select('id').where('username', '=', username).executeTakeFirst();
    if (!a) throw new Error(`no account ${username}`);
    await resetPassword(db, null, cliActor('cli:user passwd'), a.id, o.password ?? await readPassword('新密码 / new password: '));
    console.log(`password of ${username} reset; its sessions ended`);
  }));
user.command('list').description('列出账号').action(() => withDb(async ({ db }) => {
  const rows = await db.selectFrom('accounts as a').leftJoin('regions as r', 'r.id', 'a.scope_region_id')
    .select(['a.id', 'a.username', 'a.display_name', 'a.active', 'r.name as scope'])
    .select((eb) => eb.fn<string>('array_to_string', [eb.selectFrom('account_roles').select((e) => e.fn.agg<string[]>('array_agg', ['role_code']).as('x')).whereRef('account_id', '=', 'a.id'), eb.val(',')]).as('roles'))
    .orderBy('a.id').execute();
  console.table(rows);
}));

program.command('backup').description('备份数据库与文件到 FILE').argument('<file>')
  .action((file: string) => withDb(async ({ db }) => {
    const counts = await backup(db, path.join(config.dataDir, 'files'), file);
    console.log(`backup written to ${file}: ${Object.entries(counts).map(([t, n]) => `${t}=${n}`).join(' ')}`);
  }));
program.command('restore').description('从 FILE 恢复到空的数据目录或数据库').argument('<file>')
  .action((file: string) => withDb(async ({ db }) => {
    const counts = await restore(db, path.join(config.dataDir, 'files'), file);
    console.log(`restored from ${file}: ${Object.entries(counts).map(([t, n]) => `${t}=${n}`).join(' ')}`);
  }));

program.command('audit').description('审计日志').command('verify').description('校验哈希链').action(() => withDb(async ({ db }) => {
  const r = await verifyAudit(db);
  if (r.ok) console.log(`audit chain OK: ${r.checked} records verified`);
  else {
    console.error(`audit chain BROKEN at record #${r.brokenAt}: ${r.reason} (${r.checked} records before it are intact)`);
    process.exitCode = 1;
  }
}));

brainCommands(program, config);

program.parseAsync().catch((err) => {
  console.error(`error: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
