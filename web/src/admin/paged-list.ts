import { ref, type Ref } from 'vue';
import { api } from '@shared/api';
import type { Page } from '@shared/types';
import { showError } from './notify';

export interface PagedListOptions<T, Item> {
  firstPage?: number;
  pageSize?: number;
  /** True when there is nothing to list yet (no region picked): the table empties without a request. */
  skip?: () => boolean;
  /** Turns an API item into a table row. */
  row?: (item: Item) => T;
  /** Runs when a page has arrived (e.g. to fetch the names its rows refer to). */
  loaded?: (page: Page<Item>) => void;
}

/**
 * One page of an API list with its paging state. A newer load supersedes an older
 * one still in flight, so fast filter changes never show stale rows.
 * `load` fetches the current page; `loadFirst` goes back to page 1 (new filters, new page size).
 */
export function usePagedList<T, Item = T>(
  url: string | (() => string),
  params: () => Record<string, unknown> = () => ({}),
  opts: PagedListOptions<T, Item> = {},
) {
  const page = ref(opts.firstPage ?? 1);
  const pageSize = ref(opts.pageSize ?? 20);
  const rows = ref([]) as Ref<T[]>;
  const total = ref(0);
  const loading = ref(false);
  let seq = 0;
  async function load() {
    const mine = ++seq;
    if (opts.skip?.()) {
      rows.value = [];
      total.value = 0;
      loading.value = false;
      return;
    }
    loading.value = true;
    try {
      const res = await api.get<Page<Item>>(typeof url === 'function' ? url() : url, { ...params(), page: page.value, pageSize: pageSize.value });
      if (mine !== seq) return;
      rows.value = opts.row ? res.items.map(opts.row) : (res.items as unknown as T[]);
      total.value = res.total;
      opts.loaded?.(res);
    } catch (e) {
      showError(e);
    } finally {
      if (mine === seq) loading.value = false;
    }
  }
  function loadFirst() {
    page.value = 1;
    return load();
  }
  return { page, pageSize, rows, total, loading, load, loadFirst };
}
