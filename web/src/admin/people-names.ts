import { reactive } from 'vue';
import { api } from '@shared/api';
import { useSession } from '@shared/session';
import type { Page, Person } from '@shared/types';

/**
 * Owners' names for the register and the cost shares: the register holds person ids.
 * People living in the region come in one page from /api/people?regionId=…; any others
 * (owners who live elsewhere) one by one from /api/people/:id. Needs people:read;
 * without it the ids are shown.
 */
const names = reactive(new Map<number, string>());
const pending = new Map<number, Promise<void>>();

export function personName(id: number): string {
  return names.get(id) ?? `#${id}`;
}

export async function loadPeopleNames(ids: number[], regionId?: number | null) {
  const session = useSession();
  if (!session.can('people:read')) return;
  let missing = [...new Set(ids)].filter((id) => !names.has(id) && !pending.has(id));
  if (!missing.length) return;
  if (regionId && missing.length > 2) {
    try {
      for (let page = 1; page <= 5; page++) {
        const res = await api.get<Page<Person>>('/api/people', { regionId, page, pageSize: 100 });
        for (const p of res.items) names.set(p.id, p.name);
        if (page * 100 >= res.total) break;
      }
    } catch { /* fall back to one by one */ }
    missing = missing.filter((id) => !names.has(id) && !pending.has(id));
  }
  await Promise.all(missing.map((id) => {
    const job = api.get<Person>(`/api/people/${id}`)
      .then((p) => { names.set(id, p.name); })
      .catch(() => { /* out of scope or gone: keep the id */ })
      .finally(() => pending.delete(id));
    pending.set(id, job);
    return job;
  }));
}

/** Remembers names already at hand (e.g. from a people search). */
export function rememberName(id: number, name: string) {
  names.set(id, name);
}
