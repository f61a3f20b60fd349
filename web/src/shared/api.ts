/**
 * The one HTTP client of the three web apps.
 *
 * - Cookie session (`rc_session`, HttpOnly); every non-GET request carries
 *   `X-CSRF-Token`, kept in sessionStorage and fetched again from /api/auth/csrf
 *   when a reloaded tab has lost it (or when the server says it is stale).
 * - `Accept-Language` follows the UI locale, so server messages come back localized.
 * - Errors become ApiError {status, code, message, fields}; a 401 calls the app's
 *   unauthorized handler (go to the login page).
 */

const CSRF_KEY = 'rc_csrf';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Query = Record<string, string | number | boolean | null | undefined>;

interface Hooks {
  locale: () => string;
  onUnauthorized: (() => void) | null;
  networkError: () => string;
}

const hooks: Hooks = {
  locale: () => 'zh-CN',
  onUnauthorized: null,
  networkError: () => '网络连接失败，请稍后重试',
};

export function configureApi(h: Partial<Hooks>) {
  Object.assign(hooks, h);
}

export function setCsrfToken(token: string | null) {
  try {
    if (token) sessionStorage.setItem(CSRF_KEY, token);
    else sessionStorage.removeItem(CSRF_KEY);
  } catch { /* storage may be disabled (private mode); fetch it each time then */ }
}

function storedCsrf(): string | null {
  try { return sessionStorage.getItem(CSRF_KEY); } catch { return null; }
}

let csrfInFlight: Promise<string | null> | null = null;

async function freshCsrf(): Promise<string | null> {
  csrfInFlight ??= (async () => {
    try {
      const res = await fetch('/api/auth/csrf', { credentials: 'same-origin', headers: baseHeaders() });
      if (!res.ok) return null;
      const body = (await res.json()) as { csrfToken: string };
      setCsrfToken(body.csrfToken);
      return body.csrfToken;
    } catch {
      return null;
    } finally {
      setTimeout(() => { csrfInFlight = null; }, 0);
    }
  })();
  return csrfInFlight;
}

function baseHeaders(): Record<string, string> {
  return { Accept: 'application/json', 'Accept-Language': hooks.locale() === 'en' ? 'en' : 'zh-CN' };
}

export function buildUrl(path: string, query?: Query): string {
  if (!query) return path;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    qs.set(k, String(v));
  }
  const s = qs.toString();
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path;
}

interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** A multipart body (file uploads); the browser sets the boundary. */
  form?: FormData;
  /** Do not call the unauthorized handler on 401 (login, session probe). */
  quiet401?: boolean;
}

async function toApiError(res: Response): Promise<ApiError> {
  let body: any = null;
  try { body = await res.json(); } catch { /* not JSON */ }
  const e = body?.error;
  if (e && typeof e.message === 'string') return new ApiError(res.status, e.code ?? 'error', e.message, e.fields ?? {});
  return new ApiError(res.status, `http_${res.status}`, `${res.status} ${res.statusText}`);
}

async function send(method: string, path: string, opts: RequestOptions, retried = false): Promise<Response> {
  const headers = baseHeaders();
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD') {
    const csrf = storedCsrf() ?? (path === '/api/auth/login' ? null : await freshCsrf());
    if (csrf) headers['X-CSRF-Token'] = csrf;
  }
  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.form ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
    });
  } catch {
    throw new ApiError(0, 'network', hooks.networkError());
  }
  if (res.ok) return res;
  const err = await toApiError(res);
  // A token from an older session (signed in again in another tab): fetch the current one and retry once.
  if (err.status === 403 && err.code === 'csrf' && !retried) {
    setCsrfToken(null);
    if (await freshCsrf()) return send(method, path, opts, true);
  }
  if (err.status === 401 && !opts.quiet401) {
    setCsrfToken(null);
    hooks.onUnauthorized?.();
  }
  throw err;
}

async function json<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await send(method, path, opts);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export const api = {
  get: <T>(path: string, query?: Query, opts: Omit<RequestOptions, 'query' | 'body'> = {}) => json<T>('GET', path, { ...opts, query }),
  post: <T>(path: string, body?: unknown, opts: Omit<RequestOptions, 'body'> = {}) => json<T>('POST', path, { ...opts, body: body ?? {} }),
  patch: <T>(path: string, body: unknown, opts: Omit<RequestOptions, 'body'> = {}) => json<T>('PATCH', path, { ...opts, body }),
  put: <T>(path: string, body: unknown, opts: Omit<RequestOptions, 'body'> = {}) => json<T>('PUT', path, { ...opts, body }),
  delete: <T>(path: string, opts: RequestOptions = {}) => json<T>('DELETE', path, opts),
  /** POSTs multipart/form-data (photos, .xlsx imports) with the same CSRF and error handling. */
  upload: <T>(path: string, form: FormData, opts: Omit<RequestOptions, 'body' | 'form'> = {}) => json<T>('POST', path, { ...opts, form }),

  /** GETs a file (e.g. an .xlsx export) and hands it to the browser as a download. */
  async download(path: string, query?: Query, fallbackName = 'download'): Promise<string> {
    const res = await send('GET', path, { query });
    const blob = await res.blob();
    const name = filenameOf(res.headers.get('content-disposition')) ?? fallbackName;
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 30_000);
    return name;
  },
};

/** Reads filename*=UTF-8''… (RFC 5987) or filename="…" from Content-Disposition. */
export function filenameOf(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (star) {
    try { return decodeURIComponent(star[1].trim()); } catch { /* fall through */ }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(header);
  return plain ? plain[1].trim() : null;
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

/** The message to show for any thrown value. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}
