import { ref, type Ref } from 'vue';
import { api } from '@shared/api';
import type { Page } from '@shared/types';
import { showError } from './notify';

/**
 * One page of an API list with its paging state. A newer load supersedes an older
 * one still in flight, so fast filter changes never show stale rows.
 */
export function usePagedList<T>(url: string, params: () => Record<string, unknown>, firstPage = 1) {
  const page = ref(firstPage);
  const pageSize = ref(20);
  const rows = ref([]) as Ref<T[]>;
  const total = ref(0);
  const loading = ref(false);
  let seq = 0;
  async function load() {
    const mine = ++seq;
    loading.value = true;
    try {
      const res = await api.get<Page<T>>(url, { ...params(), page: page.value, pageSize: pageSize.value });
      if (mine !== seq) return;
      rows.value = res.items;
      total.value = res.total;
    } catch (e) {
      showError(e);
    } finally {
      if (mine === seq) loading.value = false;
    }
  }
  return { page, pageSize, rows, total, loading, load };
}
