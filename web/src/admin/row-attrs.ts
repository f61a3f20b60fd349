import { onBeforeUnmount, onMounted, type Ref } from 'vue';

/**
 * Element Plus tables cannot put attributes on their rows, only classes. Rows get a
 * class `${prefix}-row-${id}` (see rowClass) and this puts `data-${prefix}-id` on each
 * `<tr>` whenever the table body changes, so rows can be found by id (tests, scripts).
 */
export function rowClass(prefix: string) {
  return ({ row }: { row: { id: number } }) => `${prefix}-row ${prefix}-row-${row.id}`;
}

export function useRowIdAttrs(root: Ref<HTMLElement | undefined | { $el?: HTMLElement }>, prefix: string) {
  let observer: MutationObserver | null = null;
  const re = new RegExp(`(?:^|\\s)${prefix}-row-(\\d+)(?:\\s|$)`);
  const el = () => {
    const r = root.value as any;
    return (r?.$el ?? r) as HTMLElement | undefined;
  };
  function apply() {
    el()?.querySelectorAll<HTMLTableRowElement>(`tr.${prefix}-row`).forEach((tr) => {
      const m = re.exec(tr.className);
      if (m && tr.getAttribute(`data-${prefix}-id`) !== m[1]) tr.setAttribute(`data-${prefix}-id`, m[1]);
    });
  }
  onMounted(() => {
    const target = el();
    if (!target) return;
    apply();
    observer = new MutationObserver(apply);
    observer.observe(target, { childList: true, subtree: true, attributes: true, attributeFilter: ['class'] });
  });
  onBeforeUnmount(() => observer?.disconnect());
}
