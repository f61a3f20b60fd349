import { api } from '@shared/api';
import type { Page, Region, RegionLevel, RegionNode } from '@shared/types';

/** Levels the /api/regions/tree answer carries in full; below them, children are fetched page by page. */
const TREE_LEVELS: RegionLevel[] = ['district', 'street', 'community'];

let treePromise: Promise<RegionNode[]> | null = null;

/** The caller's scope tree down to compounds, fetched once and shared by the pages. */
export function fetchRegionTree(force = false): Promise<RegionNode[]> {
  if (force || !treePromise) {
    treePromise = api.get<{ items: RegionNode[] }>('/api/regions/tree', { maxLevel: 'compound' }).then((r) => r.items);
    treePromise.catch(() => { treePromise = null; });
  }
  return treePromise;
}

export function forgetRegionTree() {
  treePromise = null;
}

/** All children of a region (buildings, units, rooms), following the pages. */
export async function fetchAllChildren(id: number, cap = 2000): Promise<Region[]> {
  const out: Region[] = [];
  for (let page = 1; ; page++) {
    const res = await api.get<Page<Region>>(`/api/regions/${id}/children`, { page, pageSize: 100 });
    out.push(...res.items);
    if (out.length >= res.total || res.items.length === 0 || out.length >= cap) break;
  }
  return out;
}

export function isLeafRegion(r: Region): boolean {
  return r.level === 'room' || r.childCount === 0;
}

/** Children for a lazily loaded tree node: from the tree answer down to compounds, then from the API. */
export async function childrenOf(r: Region & { children?: RegionNode[] }): Promise<Region[]> {
  if (TREE_LEVELS.includes(r.level) && r.children) return r.children;
  return fetchAllChildren(r.id);
}

export function findInTree(nodes: RegionNode[], id: number): RegionNode | null {
  for (const n of nodes) {
    if (n.id === id) return n;
    const hit = findInTree(n.children ?? [], id);
    if (hit) return hit;
  }
  return null;
}

export const NEXT_LEVEL: Partial<Record<RegionLevel, RegionLevel>> = {
  district: 'street', street: 'community', community: 'compound', compound: 'building', building: 'unit', unit: 'room',
};

/**
 * The lazy loader both region trees use (el-tree `load`): the scope subtree at the
 * root, with its roots opened, then each node's children on demand.
 */
export function lazyRegionLoader(tree: () => { getNode(key: number): { expand(): void } | undefined } | undefined, onError: (e: unknown) => void) {
  return async (node: any, resolve: (data: any[]) => void, reject: () => void) => {
    try {
      if (node.level === 0) {
        const roots = await fetchRegionTree();
        resolve(roots);
        setTimeout(() => roots.forEach((r) => tree()?.getNode(r.id)?.expand()), 0);
        return;
      }
      resolve(await childrenOf(node.data));
    } catch (e) {
      onError(e);
      reject();
    }
  };
}

/** The tree filter: by name, or by code ignoring case. */
export const filterRegionNode = (value: string, data: any) =>
  !value || String(data.name).includes(value) || String(data.code).toLowerCase().includes(value.toLowerCase());
