import type { Executor } from '../../core/db.js';
import { inBatches } from '../../core/excel.js';
import { shanghaiDay } from './stations.js';

const DAYS = 120;
/** Visitors on a station's day, by a fixed pattern (no random draws: the demo's random stream stays as other modules expect it). */
const PATTERN = [0, 0, 1, 0, 2, 1, 0, 3, 0, 1, 0, 2];

/**
 * The managed side of the demo's stations (after seedAlliance has placed them): the newer services
 * (快递代办, 创新创业) at some, a contact on duty, and four months of check-ins so that the console's
 * statistics have something to show. Nothing here is checked in today, so "today" counts start at zero.
 */
export async function seedStationHistory(tx: Executor, now = new Date()) {
  const stations = await tx.selectFrom('stations').select(['id', 'kind', 'services']).orderBy('id').execute();
  for (const [s, st] of stations.entries()) {
    const extra = [...(s % 4 === 1 ? ['express_agency'] : []), ...(s % 10 === 3 && st.kind === 'fengxiaochao' ? ['entrepreneurship'] : [])];
    await tx.updateTable('stations').set({
      services: [...st.services, ...extra.filter((x) => !st.services.includes(x))], contact_name: `值守联络员${s + 1}`,
      contact_phone: `0515-8860${String(s + 1).padStart(4, '0')}`, description: st.kind === 'fengxiaochao' ? '党员先锋驿站：为快递小哥、外卖骑手、环卫工人提供歇脚、饮水和充电' : '爱心歇脚点：热水、雨具和应急药箱',
    }).where('id', '=', st.id).execute();
  }
  const rows: { station_id: number; day: string; visitor: string }[] = [];
  for (const [s, st] of stations.entries()) {
    for (let d = 1; d <= DAYS; d++) {
      const n = PATTERN[(s * 7 + d * 5) % PATTERN.length];
      const day = shanghaiDay(new Date(now.getTime() - d * 86400_000));
      for (let v = 0; v < n; v++) rows.push({ station_id: st.id, day, visitor: `demo-${st.id}-${d}-${v}` });
    }
  }
  for (const batch of inBatches(rows, 2000)) await tx.insertInto('station_checkins').values(batch).execute();
  return { stationCheckins: rows.length };
}
