import { createConnection, type ConnectionConfig } from 'mariadb';
import { fromJson } from '../../core/db.js';
import { connectorSecrets } from './connectors.js';
import { deleteRowsNotIn, sourceKey } from './ingest.js';
import { registerRunExecutor, type RunContext } from './runs.js';

/**
 * SQL pull: a MySQL/MariaDB table or view whose columns are named as the dataset's fields.
 *
 * An incremental run pages by keyset over (watermark column, key columns) after the last pair it
 * saved, ordered by the same columns, so rows sharing a (second-precision) timestamp are never lost
 * at a page edge. The pair is saved after each page is in: a killed run resumes there, and a page
 * moved twice is harmless because rows are upserted by key. Rows with an empty watermark, and a row
 * committed late with a timestamp already passed, are caught by a full run.
 *
 * A full run (reconciliation) pages over the whole table by key, upserts everything (unchanged rows
 * cost reads only), then deletes the rows the source no longer has.
 *
 * Dates come back as the server's text (dateStrings): DATETIME has no zone, and like the file import
 * we read it as China time; the session zone is +08:00 so TIMESTAMP columns render the same way.
 * Watermark values go back to the server as they came, so no conversion can shift them.
 */
const PAGE = 5000;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

interface SqlConfig { url: string; table: string; watermark?: string | null }
/** A watermark value as JSON: BIGINT values keep their exact digits. */
type Cell = string | number | { bigint: string };
interface Watermark { columns: string[]; values: Cell[] }

function quote(id: string) {
  if (!IDENT.test(id)) throw new Error(`不是有效的表名或列名：${id}`);
  return `\`${id}\``;
}

const toCell = (v: unknown): Cell => (typeof v === 'bigint' ? { bigint: v.toString() } : typeof v === 'number' ? v : String(v));
const fromCell = (c: Cell): unknown => (typeof c === 'object' ? BigInt(c.bigint) : c);

/** BIGINT and binary values as plain JSON-able values for ingest; exact digits stay as text when beyond a safe integer. */
function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  return v;
}

/** `(c1, c2, …) > (v1, v2, …)` spelt out, with a leading `c1 >= v1` so that an index on the columns gives a range scan. */
function after(cols: string[], values: unknown[]): { sql: string; params: unknown[] } {
  const ors: string[] = [];
  const params: unknown[] = [values[0]];
  for (let i = 0; i < cols.length; i++) {
    ors.push(`(${[...cols.slice(0, i).map((c) => `${c} = ?`), `${cols[i]} > ?`].join(' and ')})`);
    params.push(...values.slice(0, i + 1));
  }
  return { sql: `${cols[0]} >= ? and (${ors.join(' or ')})`, params };
}

function connectOptions(url: string, password: string | undefined): ConnectionConfig {
  const u = new URL(url);
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 3306), user: decodeURIComponent(u.username), password,
    database: decodeURIComponent(u.pathname.slice(1)) || undefined, dateStrings: true, initSql: "set time_zone = '+08:00'",
    connectTimeout: 10_000, socketTimeout: 300_000,
  };
}

async function runSql(ctx: RunContext) {
  const { deps, run, dataset } = ctx;
  if (run.connector_id == null) throw new Error('SQL 拉取缺少连接器');
  const c = await deps.db.selectFrom('brain_connectors').select(['config', 'secret', 'watermark']).where('id', '=', run.connector_id).executeTakeFirstOrThrow();
  const cfg = fromJson(c.config) as SqlConfig;
  const table = quote(cfg.table);
  const keys = dataset.key_fields;
  // The watermark column leads the order; without one the key is its own watermark.
  const markCols = cfg.watermark && !keys.includes(cfg.watermark) ? [cfg.watermark, ...keys] : keys;
  const full = run.mode === 'full';
  const orderCols = full ? keys : markCols;
  const order = orderCols.map(quote);
  const columns = [...new Set([...dataset.fields.map((f) => f.name), ...markCols])].map(quote);
  const notNull = order.map((col) => `${col} is not null`).join(' and ');

  const saved = fromJson(c.watermark) as Watermark | null;
  // A watermark of other columns (the config changed) does not apply: start from the beginning.
  let last: unknown[] | null = !full && saved && saved.columns.join() === markCols.join() ? saved.values.map(fromCell) : null;
  const saveMark = (row: Record<string, unknown>) => deps.db.updateTable('brain_connectors')
    .set({ watermark: JSON.stringify({ columns: markCols, values: markCols.map((col) => toCell(row[col])) } satisfies Watermark) })
    .where('id', '=', run.connector_id!).execute();

  const conn = await createConnection(connectOptions(cfg.url, connectorSecrets(deps, c.secret).password));
  try {
    await ctx.progress(0, 'pulling');
    const where = (from: unknown[] | null) => {
      if (!from) return { sql: notNull, params: [] as unknown[] };
      const a = after(order, from);
      return { sql: `${notNull} and ${a.sql}`, params: a.params };
    };
    const w0 = where(last);
    const [{ n }] = await conn.query<{ n: bigint | number }[]>(`select count(*) as n from ${table} where ${w0.sql}`, w0.params);
    const total = Number(n);
    // A full run's watermark is the newest row before it starts: anything changed while it reads is newer.
    const marks = markCols.map(quote);
    const top = full ? (await conn.query<Record<string, unknown>[]>(`select ${marks.join(', ')} from ${table} where ${marks.map((col) => `${col} is not null`).join(' and ')} order by ${marks.map((col) => `${col} desc`).join(', ')} limit 1`))[0] : undefined;
    const seen = full ? new Set<string>() : null;
    let done = 0;
    for (;;) {
      const w = where(last);
      const page = await conn.query<Record<string, unknown>[]>(`select ${columns.join(', ')} from ${table} where ${w.sql} order by ${order.join(', ')} limit ${PAGE}`, w.params);
      if (!page.length) break;
      const rows = page.map((raw, i) => {
        const values: Record<string, unknown> = {};
        for (const f of dataset.fields) values[f.name] = plain(raw[f.name]);
        return { rowNo: done + i + 1, values };
      });
      await ctx.ingest(rows);
      const tail = page[page.length - 1];
      last = orderCols.map((col) => tail[col]);
      if (seen) for (const r of rows) { const k = sourceKey(dataset, r.values); if (k != null) seen.add(k); }
      else await saveMark(tail);
      done += page.length;
      await ctx.progress(total ? Math.min(0.99, done / total) : 0.99);
      if (page.length < PAGE) break;
    }
    if (seen) {
      await ctx.progress(0.99, 'reconciling');
      ctx.addDeleted(await deps.db.transaction().execute((tx) => deleteRowsNotIn(tx, dataset.id, seen)));
      if (top) await saveMark(top);
    }
  } finally {
    await conn.end().catch(() => conn.destroy());
  }
}

registerRunExecutor('sql', runSql);
