/**
 * The few API calls the benchmark makes, with the admin token. Kept apart
 * from the CLI's client, which resolves servers and credentials from
 * configs and saved logins; the bench knows both exactly.
 */
const REQUEST_TIMEOUT_MS = 30_000;

export interface TimeRange {
  from: number;
  to: number;
}

export class BenchApi {
  constructor(
    readonly url: string,
    private readonly token: string,
  ) {}

  /** True when the public health route answers 2xx. */
  static async healthy(url: string): Promise<boolean> {
    try {
      const response = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      return response.ok;
    } catch {
      return false;
    }
  }

  async createTenant(id: string, name: string): Promise<void> {
    await this.request('POST', '/api/v1/tenants', JSON.stringify({ id, name, language: 'en' }));
  }

  async count(q: string, range: TimeRange): Promise<number> {
    const body = (await this.request('GET', `/api/v1/events/count?${params(q, range)}`)) as { count?: unknown };
    if (typeof body.count !== 'number') throw new Error('events/count answered without a count');
    return body.count;
  }

  async search(q: string, range: TimeRange, limit: number): Promise<Record<string, unknown>[]> {
    const body = (await this.request('GET', `/api/v1/events?${params(q, range)}&limit=${limit}`)) as { events?: unknown };
    if (!Array.isArray(body.events)) throw new Error('events answered without an events list');
    return body.events as Record<string, unknown>[];
  }

  /** The Prometheus text of /metrics. */
  async metrics(): Promise<string> {
    return (await this.request('GET', '/metrics', undefined, false)) as string;
  }

  private async request(method: string, route: string, body?: string, json = true): Promise<unknown> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(this.url + route, { method, headers, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${route.split('?')[0]}: HTTP ${response.status} ${text.slice(0, 300)}`);
    return json ? JSON.parse(text) : text;
  }
}

function params(q: string, range: TimeRange): string {
  return new URLSearchParams({ q, from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() }).toString();
}
