import type { TestApp } from './app.js';
import { bearer } from './app.js';

export const newWish = (over: Record<string, unknown> = {}) => ({
  title: '想要一台收音机', story: '独居多年，想听听戏曲广播解闷。', category: 'goods', targetGroup: 'elder', estimatedValue: 120, ...over,
});

/** A wish submitted by resident.demo and approved by community.luming: published. */
export async function publishedWish(t: TestApp, over: Record<string, unknown> = {}): Promise<number> {
  const created = await t.app.inject({ method: 'POST', url: '/api/wishes', headers: bearer(await t.token('resident.demo')), payload: newWish(over) });
  if (created.statusCode !== 201) throw new Error(`create: ${created.statusCode} ${created.body}`);
  const id = created.json().id;
  const review = await t.app.inject({ method: 'POST', url: `/api/wishes/${id}/review`, headers: bearer(await t.token('community.luming')), payload: { decision: 'approve' } });
  if (review.statusCode !== 200) throw new Error(`review: ${review.statusCode} ${review.body}`);
  return id;
}
