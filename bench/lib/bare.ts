/**
 * The baseline of every HTTP benchmark: a bare Fastify route serving a 20-row page, in its own process.
 * With BARE_BODIES (a JSON file of name → body) it also serves each body as it is at /bare/<name>: the
 * same bytes as a page under test, to tell the cost of the bytes from the cost of the server's work.
 * Prints its URL on the first line of stdout (bench/lib/server.ts `startBare` reads it).
 */
import fs from 'node:fs';
import Fastify from 'fastify';

const bare = Fastify();
const sample = { items: Array.from({ length: 20 }, (_, i) => ({ id: i, name: '张三', phone: '138****5678', address: '鹿鸣社区 橡树湾 1幢 1单元 101室' })), total: 20, page: 1, pageSize: 20 };
bare.get('/bare', async () => sample);
const bodies: Record<string, string> = process.env.BARE_BODIES ? JSON.parse(fs.readFileSync(process.env.BARE_BODIES, 'utf8')) : {};
bare.get('/bare/:name', async (req, reply) => reply.type('application/json; charset=utf-8').send(bodies[(req.params as { name: string }).name] ?? '{}'));
const base = await bare.listen({ port: 0, host: '127.0.0.1' });
console.log(`${base}/bare`);
process.on('SIGTERM', () => { void bare.close().then(() => process.exit(0)); });
