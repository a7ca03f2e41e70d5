import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, serverUrlOf } from '../config/config.js';
import { ADMIN_TOKEN_FILE } from '../server/bootstrap.js';

/** Options every client command accepts. */
export interface ClientOptions {
  server?: string;
  config?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const CREDENTIALS = path.join(process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'mamori', 'credentials.json');

/**
 * The CLI talks to the running server's API, because the embedded event
 * store belongs to the server process. Server URL: --server, $MAMORI_SERVER,
 * the config file, then http://127.0.0.1:8080. Credentials: $MAMORI_TOKEN,
 * the token saved by `mamori login` for that server, then the bootstrap
 * admin token in the data directory when this user can read it.
 */
export class ApiClient {
  readonly server: string;
  private readonly token: string | undefined;

  constructor(options: ClientOptions, env = process.env) {
    const configFile = options.config ?? (existsSync('mamori.yaml') ? 'mamori.yaml' : undefined);
    const config = loadConfig(configFile, {}, env);
    this.server = (options.server ?? env.MAMORI_SERVER ?? serverUrlOf(config)).replace(/\/+$/, '');
    this.token = env.MAMORI_TOKEN || savedToken(this.server) || readIfPresent(path.join(config.data_dir, ADMIN_TOKEN_FILE));
  }

  async get<T>(route: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
    return this.request<T>('GET', route + queryString(query));
  }

  async post<T>(route: string, body: unknown): Promise<T> {
    return this.request<T>('POST', route, JSON.stringify(body), { 'content-type': 'application/json' });
  }

  async patch<T>(route: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', route, JSON.stringify(body), { 'content-type': 'application/json' });
  }

  async request<T>(method: string, route: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<T> {
    const h: Record<string, string> = { ...headers };
    if (this.token) h.authorization = `Bearer ${this.token}`;
    let response: Response;
    try {
      response = await fetch(this.server + route, { method, headers: h, body: typeof body === 'string' || body === undefined ? body : new Uint8Array(body) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
      throw new ApiError(0, 'MAMORI_E_UNREACHABLE', `cannot reach the Mamori server at ${this.server} (${cause}): start it with \`mamori serve\` or pass --server`);
    }
    const text = await response.text();
    const json = text ? safeJson(text) : undefined;
    if (!response.ok) {
      const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
      let message = error?.message ?? `HTTP ${response.status}`;
      if (response.status === 401) message += ' (run `mamori login` or set MAMORI_TOKEN)';
      throw new ApiError(response.status, error?.code ?? 'MAMORI_E_HTTP', message);
    }
    return json as T;
  }
}

export function saveToken(server: string, token: string): string {
  const all = readCredentials();
  all[server] = token;
  mkdirSync(path.dirname(CREDENTIALS), { recursive: true, mode: 0o700 });
  writeFileSync(CREDENTIALS, JSON.stringify(all, null, 2) + '\n', { mode: 0o600 });
  return CREDENTIALS;
}

function savedToken(server: string): string | undefined {
  return readCredentials()[server];
}

function readCredentials(): Record<string, string> {
  try {
    return JSON.parse(readFileSync(CREDENTIALS, 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}

function readIfPresent(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function queryString(query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}
