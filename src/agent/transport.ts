import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { MamoriError } from '../core/errors.js';
import type { AgentTlsConfig } from './config.js';

export const INGEST_PATH = '/api/v1/ingest/agent';

export interface PostResult {
  status: number;
  /** Parsed Retry-After, in milliseconds, when the server sent one. */
  retryAfterMs?: number;
  /** The response body, cut to a few KB (it only ever goes into messages). */
  body: string;
}

/** Sends one request body to the SOC; network failures reject, HTTP statuses resolve. */
export interface Transport {
  post(body: Buffer, headers: Record<string, string>): Promise<PostResult>;
  close(): void;
}

const MAX_RESPONSE_BYTES = 8_192;

/**
 * HTTP(S) POSTs to `<server>/api/v1/ingest/agent` over one keep-alive
 * connection pool. TLS material is read once here; a private CA replaces the
 * system roots, a client certificate enables mutual TLS.
 */
export function httpTransport(server: string, tls: AgentTlsConfig, timeoutMs: number): Transport {
  const url = new URL(server + INGEST_PATH);
  const secure = url.protocol === 'https:';
  const read = (file: string | undefined, what: string) => {
    if (file === undefined) return undefined;
    try {
      return readFileSync(file);
    } catch (err) {
      throw new MamoriError('MAMORI_E_CONFIG', `tls.${what}: cannot read ${file}: ${(err as Error).message}`);
    }
  };
  const agent = secure
    ? new https.Agent({
        keepAlive: true,
        maxSockets: 1,
        ca: read(tls.ca_file, 'ca_file'),
        cert: read(tls.cert_file, 'cert_file'),
        key: read(tls.key_file, 'key_file'),
        rejectUnauthorized: !tls.insecure_skip_verify,
      })
    : new http.Agent({ keepAlive: true, maxSockets: 1 });
  const request = secure ? https.request : http.request;
  return {
    post(body, headers) {
      return new Promise<PostResult>((resolve, reject) => {
        const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(body.length) }, timeout: timeoutMs }, (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            if (size < MAX_RESPONSE_BYTES) chunks.push(chunk);
            size += chunk.length;
          });
          res.on('error', reject);
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            resolve({
              status,
              retryAfterMs: parseRetryAfter(res.headers['retry-after']),
              body: Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString('utf8'),
            });
          });
        });
        req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
        req.on('error', reject);
        req.end(body);
      });
    },
    close() {
      agent.destroy();
    },
  };
}

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
