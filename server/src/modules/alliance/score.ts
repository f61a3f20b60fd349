import type { NeedCategory } from '../../core/schema.js';

/**
 * How well a resource fits a need, explained. Hard filters first (category, service
 * area, value cap, availability, remaining capacity, unit verified); then a 0–100
 * score from five weighted factors, each with a line a worker can read.
 */
export const WEIGHTS = { category: 0.3, distance: 0.25, capacity: 0.15, reliability: 0.2, fairness: 0.1 } as const;
export type Factor = keyof typeof WEIGHTS;

/** Categories that can stand in for one another (at a lower fit). */
export const RELATED: Partial<Record<NeedCategory, NeedCategory[]>> = {
  service: ['companionship', 'tutoring'], companionship: ['service'], tutoring: ['service'], goods: ['funds'], funds: ['goods'], venue: [],
};
export const CATEGORY_NAMES: Record<NeedCategory, string> = { goods: '物资', service: '服务', companionship: '陪伴', venue: '场地', tutoring: '辅导', funds: '资金' };

export interface NeedLike { category: NeedCategory; region_path: string; lat: number | null; lng: number | null; value_fen: number; deadline: string | null }
export interface ResourceLike { category: NeedCategory; service_path: string | null; lat: number | null; lng: number | null; value_cap_fen: number | null; capacity: number; used: number; available_from: string | null; available_until: string | null; status: string }
export interface UnitStats { verified: boolean; fulfilledOnTime: number; claimsEnded: number; recentClaims: number }
export interface Reason { factor: Factor; score: number; weight: number; text: string }

export function haversineKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }) {
  const rad = Math.PI / 180;
  const s = Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lng - a.lng) * rad) / 2) ** 2;
  return 6371 * 2 * Math.asin(Math.sqrt(s));
}

/** null when a hard filter rules the pair out; otherwise the score and its reasons. */
export function scorePair(need: NeedLike, res: ResourceLike, unit: UnitStats, today = new Date().toISOString().slice(0, 10)): { score: number; reasons: Reason[] } | null {
  if (!unit.verified || res.status !== 'active') return null;
  const exact = need.category === res.category;
  if (!exact && !(RELATED[need.category] ?? []).includes(res.category)) return null;
  if (res.service_path && !need.region_path.startsWith(res.service_path)) return null;
  if (res.value_cap_fen != null && need.value_fen > res.value_cap_fen) return null;
  const left = res.capacity - res.used;
  if (left <= 0) return null;
  if (res.available_until && res.available_until < (need.deadline && need.deadline < today ? need.deadline : today)) return null;
  if (res.available_from && need.deadline && res.available_from > need.deadline) return null;

  const reasons: Reason[] = [];
  const add = (factor: Factor, score: number, text: string) => reasons.push({ factor, score: Math.round(score * 100) / 100, weight: WEIGHTS[factor], text });
  add('category', exact ? 1 : 0.6, exact ? `类别一致（${CATEGORY_NAMES[need.category]}）` : `类别相近（需求${CATEGORY_NAMES[need.category]}，资源${CATEGORY_NAMES[res.category]}）`);
  if (need.lat != null && need.lng != null && res.lat != null && res.lng != null) {
    const km = haversineKm({ lat: need.lat, lng: need.lng }, { lat: res.lat, lng: res.lng });
    add('distance', 1 / (1 + km / 2), `距离约 ${km.toFixed(1)} 公里${res.service_path ? '，在服务范围内' : ''}`);
  } else add('distance', 0.5, res.service_path ? '在服务范围内（无坐标）' : '距离未知');
  add('capacity', left / res.capacity, `剩余容量 ${left}/${res.capacity}`);
  const reliability = (unit.fulfilledOnTime + 1) / (unit.claimsEnded + 2);
  add('reliability', reliability, unit.claimsEnded ? `以往 ${unit.claimsEnded} 次认领中 ${unit.fulfilledOnTime} 次按期圆梦` : '暂无认领记录（按中等可靠度计）');
  add('fairness', 1 / (1 + unit.recentClaims), unit.recentClaims ? `近 30 天已认领 ${unit.recentClaims} 次，适当让其他单位参与` : '近 30 天未认领，优先给予机会');
  const score = Math.round(reasons.reduce((s, r) => s + r.score * r.weight, 0) * 100);
  return { score, reasons };
}
