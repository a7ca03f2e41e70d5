/**
 * The portal's client of the REST API (same origin; the session cookie is
 * httpOnly, so the app never sees it). Every failure becomes an ApiError with
 * the server's stable code and message, or a synthetic code for transport
 * failures.
 */

export type Role = 'platform_admin' | 'soc_lead' | 'soc_analyst' | 'detection_engineer' | 'customer_admin' | 'customer_viewer';

export interface Caller {
  id: string;
  login: string;
  role: Role;
  tenant_id: string | null;
}

export interface Tenant {
  id: string;
  name: string;
  language?: string;
}

/** One stored event: flat ECS field names (`source.ip`, `event.action`, ...). */
export type EventRecord = Readonly<Record<string, unknown>>;

export interface HistogramBucket {
  time: string;
  count: number;
}

export interface TopValue {
  value: string;
  count: number;
}

export interface EventQuery {
  q: string;
  from: string;
  to: string;
  /** Omitted: every tenant the caller may see. */
  tenant?: string;
}

/** Codes of failures that never reached the API or came back unreadable. */
export type ClientErrorCode = 'NETWORK' | 'UNEXPECTED';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get unauthenticated(): boolean {
    return this.status === 401;
  }
}

export const isAbort = (err: unknown) => err instanceof DOMException && err.name === 'AbortError';

async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new ApiError(0, 'NETWORK', (err as Error).message);
  }
  let payload: unknown;
  try {
    payload = await response.json();
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new ApiError(response.status, 'UNEXPECTED', `HTTP ${response.status}`);
  }
  if (!response.ok) {
    const error = (payload as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    if (typeof error?.code === 'string' && typeof error.message === 'string') throw new ApiError(response.status, error.code, error.message);
    throw new ApiError(response.status, 'UNEXPECTED', `HTTP ${response.status}`);
  }
  return payload as T;
}

function queryString(query: EventQuery, extra: Readonly<Record<string, string>> = {}): string {
  const params = new URLSearchParams({ q: query.q, from: query.from, to: query.to, ...extra });
  if (query.tenant) params.set('tenant', query.tenant);
  return params.toString();
}

export const api = {
  login: (login: string, password: string) => request<Caller>('POST', '/api/v1/auth/login', { login, password }),
  logout: () => request<{ ok: boolean }>('POST', '/api/v1/auth/logout', {}),
  me: (signal?: AbortSignal) => request<Caller>('GET', '/api/v1/auth/me', undefined, signal),
  tenants: (signal?: AbortSignal) => request<{ items: Tenant[] }>('GET', '/api/v1/tenants', undefined, signal).then((r) => r.items),
  events: (query: EventQuery, limit: number, signal?: AbortSignal) =>
    request<{ events: EventRecord[] }>('GET', `/api/v1/events?${queryString(query, { limit: String(limit), order: 'desc' })}`, undefined, signal).then((r) => r.events),
  count: (query: EventQuery, signal?: AbortSignal) =>
    request<{ count: number }>('GET', `/api/v1/events/count?${queryString(query)}`, undefined, signal).then((r) => r.count),
  histogram: (query: EventQuery, interval: string, signal?: AbortSignal) =>
    request<{ buckets: HistogramBucket[] }>('GET', `/api/v1/events/histogram?${queryString(query, { interval })}`, undefined, signal).then((r) => r.buckets),
  top: (query: EventQuery, field: string, limit: number, signal?: AbortSignal) =>
    request<{ values: TopValue[] }>('GET', `/api/v1/events/top?${queryString(query, { field, limit: String(limit) })}`, undefined, signal).then((r) => r.values),
};
