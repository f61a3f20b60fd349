import { ref } from 'vue';
import { api } from '@shared/api';
import { useSession } from '@shared/session';

/**
 * Unread counts for the badges: notices (the home tile and the home tab) and messages (the 我的 tab).
 * One shared state, so that reading a notice clears the badges wherever they are shown.
 */
export const unreadNotices = ref(0);
export const unreadMessages = ref(0);

export async function refreshUnread() {
  if (!useSession().me) {
    unreadNotices.value = 0;
    unreadMessages.value = 0;
    return;
  }
  await Promise.all([
    api.get<{ unread: number }>('/api/notices/unread-count').then((r) => { unreadNotices.value = r.unread; }).catch(() => {}),
    api.get<{ unread: number }>('/api/me/notifications', { pageSize: 1 }).then((r) => { unreadMessages.value = r.unread; }).catch(() => {}),
  ]);
}
