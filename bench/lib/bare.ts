/**
 * The baseline of every HTTP benchmark: a bare Fastify route serving a 20-row page, in its own process.
 * Prints its URL on the first line of stdout (bench/lib/server.ts `startBare` reads it).
 */
import Fastify from 'fastify';

const bare = Fastify();
const sample = { items: Array.from({ length: 20 }, (_, i) => ({ id: i, name: '张三', phone: '138****5678', address: '鹿鸣社区 橡树湾 1幢 1单元 101室' })), total: 20, page: 1, pageSize: 20 };
bare.get('/bare', async () => sample);
const base = await bare.listen({ port: 0, host: '127.0.0.1' });
console.log(`${base}/bare`);
process.on('SIGTERM', () => { void bare.close().then(() => process.exit(0)); });
