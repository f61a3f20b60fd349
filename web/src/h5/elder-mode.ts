import { ref, watch } from 'vue';
import { useSession } from '@shared/session';

/**
 * Elder mode (长辈模式, MIIT 2021 ageing-friendly rules): large type, large tap targets, strong
 * contrast and a simple home. It is a class on <html> (elder.css raises Vant's variables there) and
 * a text scale (1 = 18 px main text, 1.3 = 23.4 px). Remembered per account on this device in
 * localStorage: accounts have no settings column on the server, and a phone shared by an elder and
 * a grandchild should keep each one's choice.
 */
export type ElderScale = 1 | 1.3;

const enabled = ref(false);
const scale = ref<ElderScale>(1);
let accountId: number | null = null;

const key = (id: number | null) => `rc_elder_mode:${id ?? 'guest'}`;

function read(id: number | null) {
  try {
    const v = JSON.parse(localStorage.getItem(key(id)) ?? 'null') as { on?: boolean; scale?: number } | null;
    enabled.value = !!v?.on;
    scale.value = v?.scale === 1.3 ? 1.3 : 1;
  } catch {
    enabled.value = false;
    scale.value = 1;
  }
}

function apply() {
  const root = document.documentElement;
  root.classList.toggle('elder', enabled.value);
  if (enabled.value) root.style.setProperty('--rc-elder-scale', String(scale.value));
  else root.style.removeProperty('--rc-elder-scale');
}

function save() {
  try { localStorage.setItem(key(accountId), JSON.stringify({ on: enabled.value, scale: scale.value })); } catch { /* private mode: this visit only */ }
  apply();
}

let bound = false;
/** Follows the signed-in account: each account's own choice, applied as soon as it is known (App.vue calls this once). */
export function bindElderMode() {
  if (bound) return;
  bound = true;
  const session = useSession();
  watch(() => session.me?.account.id ?? null, (id) => {
    accountId = id;
    read(id);
    apply();
  }, { immediate: true });
}

export function useElderMode() {
  return {
    enabled,
    scale,
    set(on: boolean) { enabled.value = on; save(); },
    setScale(s: ElderScale) { scale.value = s; save(); },
  };
}
