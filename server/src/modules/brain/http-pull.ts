import { createHmac, randomBytes } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { fromJson } from '../../core/db.js';
import { connectorSecrets, type Secrets } from './connectors.js';
import { resolveMapping } from './file-import.js';
import { deleteRowsNotIn, sourceKey } from './ingest.js';
import { registerRunExecutor, type RunContext } from './runs.js';

/**
 * HTTP pull: JSON or CSV fetched from a URL, page by page (a page number or a cursor), with an API
 * key header or an HMAC signature. Every run reads the source from its first page; rows are upserted
 * by key, so a repeated run adds nothing, and a full run also removes the rows the source no longer lists.
 *
 * HMAC (auth.type "hmac"), the same shape as our inbound webhook with the request line in place of the body:
 *   X-Timestamp: unix seconds    X-Nonce: 32 random hex characters
 *   X-Signature: sha256=<hex HMAC-SHA256(hmacSecret, timestamp + "." + nonce + "." + "GET" + " " + path-with-query)>
 * e.g. over "1718000000.9f86d081884c7d65.GET /api/people?page=2".
 */
const MAX_PAGES = 10_000;
const MAX_PAGE_BYTES = 50 * 1024 * 1024;
const TIMEOUT_MS = 30_000;

interface HttpPullConfig {
  url: string;
  format?: 'json' | 'csv';
  /** Dotted path to the array of items in a JSON page; the page itself when absent. */
  itemsPath?: string;
  paging?: { type: 'page'; param?: string; sizeParam?: string; size?: number; start?: number } | { type: 'cursor'; param?: string; nextPath: string };
  auth?: { type: 'api_key'; header?: string } | { type: 'hmac' };
  /** Stops a source that never ends its pages (at most MAX_PAGES). */
  maxPages?: number;
}

function hmacHeaders(secret: string, method: string, url: URL) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomBytes(16).toString('hex');
  const signature = createHmac('sha256', secret).update(`${timestamp}.${nonce}.${method} ${url.pathname}${url.search}`).digest('hex');
  return { 'X-Timestamp': timestamp, 'X-Nonce': nonce, 'X-Signature': `sha256=${signature}` };
}

function dig(body: unknown, path: string | undefined): unknown {
  if (!path) return body;
  let v = body;
  for (const part of path.split('.')) v = v != null && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
  return v;
}

/** The source's where, for errors: no query string (it may carry a token of the source's own). */
const where = (url: URL) => `${url.origin}${url.pathname}`;

async function readCapped(res: Response, url: URL): Promise<string> {
  const tooBig = () => new Error(`数据源单页响应超过 ${MAX_PAGE_BYTES / 1024 / 1024} MB（${where(url)}）`);
  if (Number(res.headers.get('content-length') ?? 0) > MAX_PAGE_BYTES) throw tooBig();
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    size += r.value.length;
    if (size > MAX_PAGE_BYTES) { await reader.cancel(); throw tooBig(); }
    chunks.push(r.value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

async function fetchPage(cfg: HttpPullConfig, secrets: Secrets, url: URL): Promise<string> {
  const headers: Record<string, string> = { accept: cfg.format === 'csv' ? 'text/csv' : 'application/json' };
  if (cfg.auth?.type === 'api_key') {
    if (!secrets.apiKey) throw new Error('连接器未设置 API 密钥（apiKey）');
    headers[cfg.auth.header ?? 'X-API-Key'] = secrets.apiKey;
  } else if (cfg.auth?.type === 'hmac') {
    if (!secrets.hmacSecret) throw new Error('连接器未设置 HMAC 密钥（hmacSecret）');
    Object.assign(headers, hmacHeaders(secrets.hmacSecret, 'GET', url));
  }
  let res: Response;
  try {
    // With credentials a redirect is refused: they must not follow it to another host.
    res = await fetch(url, { headers, redirect: cfg.auth ? 'error' : 'follow', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    const e = err as Error & { cause?: Error };
    const why = e.name === 'TimeoutError' ? `${TIMEOUT_MS / 1000} 秒内无响应` : (e.cause?.message ?? e.message);
    throw new Error(`无法访问数据源 ${where(url)}：${why}`);
  }
  if (!res.ok) {
    const text = (await res.text().catch(() => '')).replace(/\s+/g, ' ').trim().slice(0, 200);
    throw new Error(`数据源返回 HTTP ${res.status} ${res.statusText}（${where(url)}）${text ? `：${text}` : ''}`);
  }
  return readCapped(res, url);
}

type Item = Record<string, unknown>;
const asItem = (v: unknown): Item => (v != null && typeof v === 'object' && !Array.isArray(v) ? (v as Item) : {});

/** A page's items, named by field: JSON objects as they are; CSV columns matched to fields by name or label. */
function pageItems(ctx: RunContext, cfg: HttpPullConfig, text: string): { items: Item[]; body: unknown } {
  if (cfg.format === 'csv') {
    const records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
    if (!records.length) return { items: [], body: null };
    const header = records[0].map((h) => String(h).trim());
    const mapping = resolveMapping(header, ctx.dataset.fields, null, null);
    const missing = ctx.dataset.key_fields.filter((k) => !Object.values(mapping).includes(k));
    if (missing.length) throw new Error(`CSV 表头中没有主键列 ${missing.join(', ')}`);
    return {
      items: records.slice(1).map((cells) => {
        const item: Item = {};
        header.forEach((col, i) => { if (mapping[col]) item[mapping[col]] = cells[i] ?? ''; });
        return item;
      }),
      body: null,
    };
  }
  let body: unknown;
  try { body = JSON.parse(text); } catch { throw new Error('数据源返回的不是有效的 JSON'); }
  const items = dig(body, cfg.itemsPath);
  if (!Array.isArray(items)) throw new Error(cfg.itemsPath ? `数据源响应中 ${cfg.itemsPath} 不是数组` : '数据源响应不是数组（数组在对象之内时请设置 itemsPath）');
  return { items: items.map(asItem), body };
}

async function runHttpPull(ctx: RunContext) {
  const { deps, run, dataset } = ctx;
  if (run.connector_id == null) throw new Error('HTTP 拉取缺少连接器');
  const c = await deps.db.selectFrom('brain_connectors').select(['config', 'secret']).where('id', '=', run.connector_id).executeTakeFirstOrThrow();
  const cfg = fromJson(c.config) as HttpPullConfig;
  const secrets = connectorSecrets(deps, c.secret);
  const paging = cfg.paging;
  const maxPages = Math.min(cfg.maxPages ?? MAX_PAGES, MAX_PAGES);
  const seen = run.mode === 'full' ? new Set<string>() : null;
  let rowNo = 0;
  let cursor: string | null = null;
  await ctx.progress(0, 'pulling');
  for (let n = 0; ; n++) {
    if (n >= maxPages) throw new Error(`已读取 ${maxPages} 页仍未结束，已停止（请检查分页设置）`);
    const url = new URL(cfg.url);
    if (paging?.type === 'page') {
      url.searchParams.set(paging.param ?? 'page', String((paging.start ?? 1) + n));
      if (paging.size) url.searchParams.set(paging.sizeParam ?? 'size', String(paging.size));
    } else if (paging?.type === 'cursor' && cursor != null) {
      url.searchParams.set(paging.param ?? 'cursor', cursor);
    }
    const { items, body } = pageItems(ctx, cfg, await fetchPage(cfg, secrets, url));
    await ctx.ingest(items.map((values) => ({ rowNo: ++rowNo, values })));
    if (seen) for (const values of items) { const k = sourceKey(dataset, values); if (k != null) seen.add(k); }
    // The total is unknown: progress creeps toward 1 page by page.
    await ctx.progress((n + 1) / (n + 6));
    if (!paging || !items.length) break;
    if (paging.type === 'cursor') {
      const next = dig(body, paging.nextPath);
      if (next == null || next === '') break;
      if (String(next) === cursor) throw new Error(`数据源的下一页游标没有变化（${String(next).slice(0, 40)}），已停止`);
      cursor = String(next);
    }
  }
  if (seen) {
    await ctx.progress(0.99, 'reconciling');
    ctx.addDeleted(await deps.db.transaction().execute((tx) => deleteRowsNotIn(tx, dataset.id, seen)));
  }
}

registerRunExecutor('http_pull', runHttpPull);
