import { api } from '@shared/api';
import type { RegionNode, Season } from '@shared/types';
import { sortSeasons } from '@shared/wishes';
import { fetchRegionTree } from './regions';

/** The seasons (running first), fetched again when `force` (after a save). */
let seasonsPromise: Promise<Season[]> | null = null;
export function fetchSeasons(force = false): Promise<Season[]> {
  if (force || !seasonsPromise) {
    seasonsPromise = api.get<{ items: Season[] }>('/api/seasons').then((r) => sortSeasons(r.items));
    seasonsPromise.catch(() => { seasonsPromise = null; });
  }
  return seasonsPromise;
}

export interface CommunityOption { id: number; name: string; street: string }

/** The communities in the caller's scope, with their street, from the region tree. */
export async function fetchCommunities(): Promise<CommunityOption[]> {
  const out: CommunityOption[] = [];
  const walk = (nodes: RegionNode[], street: string) => {
    for (const n of nodes) {
      if (n.level === 'community') out.push({ id: n.id, name: n.name, street });
      else if (n.level === 'district' || n.level === 'street') walk(n.children ?? [], n.level === 'street' ? n.name : street);
    }
  };
  walk(await fetchRegionTree(), '');
  return out;
}

/** Communities grouped by street, for <el-option-group>. */
export function groupByStreet(list: CommunityOption[]): { street: string; items: CommunityOption[] }[] {
  const groups = new Map<string, CommunityOption[]>();
  for (const c of list) groups.set(c.street, [...(groups.get(c.street) ?? []), c]);
  return [...groups.entries()].map(([street, items]) => ({ street, items }));
}
