import { ElMessage, ElMessageBox } from 'element-plus';
import type { Router } from 'vue-router';
import { configureApi, isApiError, errorMessage } from '@shared/api';
import { useSession } from '@shared/session';
import { t } from './i18n';

/** A 401 from any call: forget the session and go to the login page, coming back afterwards. */
export function installSessionHandling(router: Router) {
  let redirecting = false;
  configureApi({
    onUnauthorized: () => {
      const session = useSession();
      const wasSignedIn = !!session.me;
      session.clear();
      const current = router.currentRoute.value;
      if (current.name === 'login' || redirecting) return;
      redirecting = true;
      if (wasSignedIn) ElMessage.warning(t('auth.sessionExpired'));
      router.replace({ name: 'login', query: { redirect: current.fullPath } }).finally(() => { redirecting = false; });
    },
  });
}

/** Shows the server's (already localized) message; 401s are handled by the redirect. */
export function showError(e: unknown) {
  if (isApiError(e) && e.status === 401) return;
  ElMessage.error({ message: errorMessage(e), grouping: true });
}

export function showSuccess(message: string) {
  ElMessage.success({ message, grouping: true });
}

export async function confirmAction(message: string, title?: string): Promise<boolean> {
  try {
    await ElMessageBox.confirm(message, title ?? t('common.confirm'), {
      type: 'warning', confirmButtonText: t('common.ok'), cancelButtonText: t('common.cancel'),
    });
    return true;
  } catch {
    return false;
  }
}

/** Asks for a line of text (e.g. a purpose); null when cancelled. */
export async function promptText(message: string, title: string, opts: { min?: number; max?: number; error?: string; type?: 'text' | 'password'; testid?: string } = {}): Promise<string | null> {
  const min = opts.min ?? 1;
  const max = opts.max ?? 200;
  try {
    const { value } = await ElMessageBox.prompt(message, title, {
      confirmButtonText: t('common.ok'),
      cancelButtonText: t('common.cancel'),
      inputType: opts.type ?? 'text',
      inputValidator: (v: string) => {
        const s = (v ?? '').trim();
        return (s.length >= min && s.length <= max) || (opts.error ?? t('common.required'));
      },
      closeOnClickModal: false,
      customClass: opts.testid ? `prompt-${opts.testid}` : undefined,
    });
    return String(value ?? '').trim();
  } catch {
    return null;
  }
}
