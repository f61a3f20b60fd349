import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import { api, isApiError, setCsrfToken } from './api';
import type { LoginResult, Me, RoleRef, SecondFactor } from './types';

/**
 * Thrown by a password sign-in of an account that must confirm by SMS (the district's sign-in
 * policy): the code went to `secondFactor.phone`; pass it to verifySecondFactor.
 */
export class SecondFactorNeeded extends Error {
  constructor(readonly secondFactor: SecondFactor) {
    super('second factor needed');
  }
}

/**
 * The signed-in account, shared shape for all three apps. The session itself is the
 * HttpOnly cookie; this store only remembers who it belongs to and what it may do.
 */
export const useSession = defineStore('session', () => {
  const me = ref<Me | null>(null);
  const loaded = ref(false);

  /** Asks the server who we are; a 401 just means "not signed in". */
  async function load(): Promise<Me | null> {
    try {
      me.value = await api.get<Me>('/api/auth/me', undefined, { quiet401: true });
    } catch (e) {
      if (!isApiError(e) || e.status !== 401) throw e;
      me.value = null;
    } finally {
      loaded.value = true;
    }
    return me.value;
  }

  async function ensureLoaded() {
    if (!loaded.value) await load();
    return me.value;
  }

  async function login(username: string, password: string): Promise<Me> {
    const res = await api.post<LoginResult | { secondFactor: SecondFactor }>('/api/auth/login', { username, password }, { quiet401: true });
    if ('secondFactor' in res) throw new SecondFactorNeeded(res.secondFactor);
    return signedIn(res);
  }

  /** The SMS code that completes a password sign-in (SecondFactorNeeded). */
  async function verifySecondFactor(challenge: string, code: string): Promise<Me> {
    return signedIn(await api.post<LoginResult>('/api/auth/sms/verify', { challenge, code }, { quiet401: true }));
  }

  /** A first WeChat sign-in: binds the WeChat user (the callback's ticket) to the account of the phone proved by code. */
  async function bindWechat(ticket: string, phone: string, code: string): Promise<Me> {
    return signedIn(await api.post<LoginResult>('/api/auth/wechat/bind', { ticket, phone, code }, { quiet401: true }));
  }

  /** Phone + SMS code (residents and volunteers); the same answer as a password sign-in. */
  async function loginWithCode(phone: string, code: string): Promise<Me> {
    return signedIn(await api.post<LoginResult>('/api/auth/sms/login', { phone, code }, { quiet401: true }));
  }

  function signedIn(res: LoginResult): Me {
    setCsrfToken(res.csrfToken);
    const { token: _token, csrfToken: _csrf, expiresAt: _exp, ...rest } = res;
    me.value = rest;
    loaded.value = true;
    return rest;
  }

  async function logout() {
    try {
      await api.post('/api/auth/logout', {}, { quiet401: true });
    } catch { /* the session may already be gone */ }
    clear();
  }

  function clear() {
    me.value = null;
    loaded.value = true;
    setCsrfToken(null);
  }

  function can(permission: string): boolean {
    const perms = me.value?.permissions ?? [];
    return perms.includes('*') || perms.includes(permission);
  }

  const displayName = computed(() => me.value?.account.displayName || me.value?.account.username || '');

  return { me, loaded, load, ensureLoaded, login, verifySecondFactor, bindWechat, loginWithCode, logout, clear, can, displayName };
});

export function roleName(role: RoleRef, locale: string): string {
  return locale === 'en' ? role.nameEn : role.nameZh;
}
