import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import zlib from 'node:zlib';
import { sql } from 'kysely';
import type { Db, Executor } from './db.js';
import { migrate } from './migrate.js';

/**
 * Logical backup that works the same on PGlite and PostgreSQL (and across them):
 * gzip'd JSON lines — a header, then for each table its rows as PostgreSQL's own
 * row_to_json (full timestamp precision), then the uploaded files.
 */
interface Header { format: 'redcom-backup'; version: 1; createdAt: string; migrations: string[] }

/** Tables of the public schema, parents before children (by foreign keys). */
async function tablesInOrder(db: Executor): Promise<string[]> {
  const tables = (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'schema_migrations' order by table_name`.execute(db)).rows.map((r) => r.name);
  const deps = (await sql<{ child: string; parent: string }>`
    select c.relname as child, p.relname as parent from pg_constraint k
    join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
    join pg_namespace n on n.oid = c.relnamespace
    where k.contype = 'f' and n.nspname = 'public'`.execute(db)).rows;
  const out: string[] = [];
  const visit = (t: string, seen: Set<string>) => {
    if (out.includes(t) || seen.has(t)) return;
    seen.add(t);
    for (const d of deps) if (d.child === t && d.parent !== t) visit(d.parent, seen);
    out.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return out;
}

/** A table whose `id` draws from a sequence (not a one-row settings table keyed by `id boolean`). */
async function hasIdSequence(db: Executor, table: string) {
  const r = await sql<{ n: number }>`select count(*) as n from information_schema.columns where table_schema = 'public' and table_name = ${table} and column_name = 'id'`.execute(db);
  if (Number(r.rows[0].n) === 0) return false;
  const seq = await sql<{ s: string | null }>`select pg_get_serial_sequence(${table}, 'id') as s`.execute(db);
  return seq.rows[0].s != null;
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath ?? (e as any).path, e.name)));
}

export async function backup(db: Db, filesDir: string, file: string, onTable?: (t: string, rows: number) => void) {
  const gz = zlib.createGzip();
  const out = fs.createWriteStream(file);
  gz.pipe(out);
  const write = (obj: unknown) => new Promise<void>((resolve) => (gz.write(JSON.stringify(obj) + '\n') ? resolve() : gz.once('drain', resolve)));
  const migrations = (await db.selectFrom('schema_migrations').select('name').orderBy('name').execute()).map((r) => r.name);
  await write({ format: 'redcom-backup', version: 1, createdAt: new Date().toISOString(), migrations } satisfies Header);
  const counts: Record<string, number> = {};
  // One snapshot for all tables on PostgreSQL; PGlite has a single connection anyway.
  await db.transaction().setIsolationLevel('repeatable read').execute(async (tx) => {
    for (const table of await tablesInOrder(tx)) {
      await write({ table });
      let n = 0;
      if (await hasIdSequence(tx, table)) {
        let last = 0;
        for (;;) {
          const rows = (await sql<{ j: string; id: number }>`select row_to_json(t)::text as j, t.id from ${sql.table(table)} t where t.id > ${last} order by t.id limit 5000`.execute(tx)).rows;
          if (!rows.length) break;
          for (const r of rows) await write({ r: JSON.parse(r.j) });
          n += rows.length;
          last = rows[rows.length - 1].id;
        }
      } else {
        const rows = (await sql<{ j: string }>`select row_to_json(t)::text as j from ${sql.table(table)} t`.execute(tx)).rows;
        for (const r of rows) await write({ r: JSON.parse(r.j) });
        n = rows.length;
      }
      counts[table] = n;
      onTable?.(table, n);
    }
  });
  for (const rel of filesUnder(filesDir)) await write({ file: rel, data: fs.readFileSync(path.join(filesDir, rel)).toString('base64') });
  gz.end();
  await new Promise<void>((resolve, reject) => out.on('finish', resolve).on('error', reject));
  return counts;
}

/** Tables that hold rows in any database in use: a restore refuses a target where one of them does. */
const IN_USE = ['regions', 'accounts', 'audit_log'];

/** Restores into an empty database (migrated here first); all-or-nothing. */
export async function restore(db: Db, filesDir: string, file: string, onTable?: (t: string, rows: number) => void) {
  await migrate(db);
  const tables = await tablesInOrder(db);
  // A database in use has regions, accounts and an audit trail; rows elsewhere in a fresh one are reference
  // data its migrations wrote (default point rules), which the backup's own rows replace.
  const filled: string[] = [];
  for (const t of tables) {
    const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(t)}`.execute(db);
    if (Number(r.rows[0].n) === 0) continue;
    if (IN_USE.includes(t)) throw new Error(`目标数据库不为空（表 ${t} 已有数据）；请恢复到全新的数据目录 / an empty database`);
    filled.push(t);
  }
  const counts: Record<string, number> = {};
  const files: { file: string; data: string }[] = [];
  await db.transaction().execute(async (tx) => {
    for (const t of [...filled].reverse()) await sql`delete from ${sql.table(t)}`.execute(tx);
    // Opened just before it is read: readline drops lines that arrive before the loop below asks for them.
    const lines = readline.createInterface({ input: fs.createReadStream(file).pipe(zlib.createGunzip()), crlfDelay: Infinity });
    let header: Header | undefined;
    let table: string | undefined;
    let batch: unknown[] = [];
    const flush = async () => {
      if (!table || !batch.length) return;
      await sql`insert into ${sql.table(table)} select * from json_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(batch)}::json)`.execute(tx);
      counts[table] = (counts[table] ?? 0) + batch.length;
      batch = [];
    };
    for await (const line of lines) {
      if (!line) continue;
      const obj = JSON.parse(line);
      if (!header) {
        if (obj.format !== 'redcom-backup') throw new Error('不是红色社区备份文件 / not a redcom backup');
        header = obj;
        continue;
      }
      if ('table' in obj) {
        await flush();
        if (table) onTable?.(table, counts[table] ?? 0);
        if (!tables.includes(obj.table)) throw new Error(`备份中的表 ${obj.table} 在当前版本中不存在`);
        table = obj.table;
      } else if ('r' in obj) {
        batch.push(obj.r);
        if (batch.length >= 2000) await flush();
      } else if ('file' in obj) {
        files.push(obj);
      }
    }
    await flush();
    if (table) onTable?.(table, counts[table] ?? 0);
    for (const t of tables) {
      if (await hasIdSequence(tx, t)) {
        await sql`select setval(pg_get_serial_sequence(${t}, 'id'), greatest((select coalesce(max(id), 0) from ${sql.table(t)}), 1))`.execute(tx);
      }
    }
  });
  for (const f of files) {
    const target = path.join(filesDir, f.file);
    if (!target.startsWith(path.resolve(filesDir))) continue;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, Buffer.from(f.data, 'base64'));
  }
  return counts;
}
