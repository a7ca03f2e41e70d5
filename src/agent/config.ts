import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describeSchemaErrors, parseConfigText } from '../config/config.js';
import { MamoriError } from '../core/errors.js';
import { AGENT_CONFIG_SCHEMA } from './config-schema.js';

export const DEFAULT_AGENT_CONFIG_FILE = 'mamori-agent.yaml';

export interface FileInputConfig {
  name: string;
  type: 'file';
  paths: string[];
  format: string;
  charset: string;
  timezone?: string;
  start_at: 'end' | 'beginning';
  max_line_bytes: number;
}

export interface SyslogInputConfig {
  name: string;
  type: 'syslog';
  protocols: ('udp' | 'tcp')[];
  bind: string;
  port: number;
  format: string;
  charset: string;
  timezone?: string;
  max_message_bytes: number;
}

export type InputConfig = FileInputConfig | SyslogInputConfig;

export interface AgentTlsConfig {
  ca_file?: string;
  cert_file?: string;
  key_file?: string;
  insecure_skip_verify: boolean;
}

/** A validated agent configuration: defaults applied, paths absolute, the token read. */
export interface AgentConfig {
  name: string;
  /** Server base URL without a trailing slash. */
  server: string;
  token: string;
  tls: AgentTlsConfig;
  data_dir: string;
  buffer: { max_bytes: number };
  send: { batch_events: number; batch_wait_ms: number; timeout_ms: number; /** Bytes per second; 0 = unlimited. */ bandwidth: number };
  inputs: InputConfig[];
}

const ajv = new Ajv({ useDefaults: true, allErrors: true, strict: false });
const validate = ajv.compile(AGENT_CONFIG_SCHEMA);

/** Reads, validates and resolves an agent configuration file. */
export function loadAgentConfig(file: string): AgentConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new MamoriError('MAMORI_E_CONFIG', `cannot read agent config file ${file}: ${(err as Error).message}. Write one with: mamori agent init ${file}`);
  }
  return resolveAgentConfig(parseConfigText(text, file), file);
}

/**
 * Validates a parsed document. Relative paths (data_dir, token_file, TLS
 * files) are taken relative to the config file's folder, so an agent started
 * from any working directory finds the same files.
 */
export function resolveAgentConfig(raw: unknown, file = DEFAULT_AGENT_CONFIG_FILE): AgentConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw configError(file, 'the top level must be a mapping of keys to values');
  }
  const doc = structuredClone(raw) as Record<string, unknown>;
  if (!validate(doc)) throw configError(file, describeSchemaErrors(validate.errors ?? []));
  const base = path.dirname(path.resolve(file));
  const at = (p: string) => path.resolve(base, p);
  const d = doc as {
    name?: string;
    server: string;
    token?: string;
    token_file?: string;
    tls: AgentTlsConfig;
    data_dir: string;
    buffer: { max_bytes: number };
    send: { batch_events: number; batch_wait_ms: number; timeout_ms: number; bandwidth: string | number };
    inputs: InputConfig[];
  };
  const problems: string[] = [];
  if ((d.token === undefined) === (d.token_file === undefined)) problems.push('token / token_file: give exactly one of them');
  if ((d.tls.cert_file === undefined) !== (d.tls.key_file === undefined)) problems.push('tls: cert_file and key_file go together');
  let bandwidth = 0;
  try {
    bandwidth = parseBandwidth(d.send.bandwidth);
  } catch (err) {
    problems.push(`send.bandwidth: ${(err as Error).message}`);
  }
  const names = new Set<string>();
  d.inputs.forEach((input, i) => {
    if (names.has(input.name)) problems.push(`inputs.${i}.name: duplicate name "${input.name}"`);
    names.add(input.name);
    if (input.type === 'file') {
      input.paths.forEach((p, j) => {
        if (!path.isAbsolute(p)) problems.push(`inputs.${i}.paths.${j}: "${p}" must be an absolute path`);
        else if (/[*?]/.test(path.dirname(p))) problems.push(`inputs.${i}.paths.${j}: wildcards are allowed in the file name only`);
      });
    }
  });
  let server: URL | undefined;
  try {
    server = new URL(d.server);
  } catch {
    problems.push(`server: "${d.server}" is not a URL`);
  }
  if (problems.length > 0) throw configError(file, problems.join('; '));
  return {
    name: d.name ?? os.hostname(),
    server: (server as URL).href.replace(/\/+$/, ''),
    token: d.token ?? readToken(at(d.token_file as string), file),
    tls: {
      insecure_skip_verify: d.tls.insecure_skip_verify,
      ca_file: d.tls.ca_file && at(d.tls.ca_file),
      cert_file: d.tls.cert_file && at(d.tls.cert_file),
      key_file: d.tls.key_file && at(d.tls.key_file),
    },
    data_dir: at(d.data_dir),
    buffer: d.buffer,
    send: { ...d.send, bandwidth },
    inputs: d.inputs,
  };
}

function readToken(tokenFile: string, file: string): string {
  let token: string;
  try {
    token = readFileSync(tokenFile, 'utf8').trim();
  } catch (err) {
    throw configError(file, `token_file: cannot read ${tokenFile}: ${(err as Error).message}`);
  }
  if (!/^mmi_[A-Za-z0-9_-]+$/.test(token)) throw configError(file, `token_file: ${tokenFile} does not hold an ingest token (mmi_...)`);
  return token;
}

const BANDWIDTH = /^(\d+(?:\.\d+)?)\s*(|k|m|g)(bit|b|bps)?(?:\/s)?$/i;
const SCALE: Record<string, number> = { '': 1, k: 1_000, m: 1_000_000, g: 1_000_000_000 };

/**
 * Bandwidth in bytes per second from "1.5Mbit", "200KB", "64kbit/s" or a
 * plain number of bytes. Units are decimal, as line speeds are: bit/bps =
 * bits, B = bytes, no unit = bytes.
 */
export function parseBandwidth(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new Error(`${value} is not a byte rate`);
    return value;
  }
  const m = BANDWIDTH.exec(value.trim());
  if (!m) throw new Error(`"${value}" is not a rate; write e.g. "1.5Mbit", "200KB" or 0 for unlimited`);
  const amount = Number(m[1]) * SCALE[m[2].toLowerCase()];
  const unit = (m[3] ?? '').toLowerCase();
  const bytes = unit === 'bit' || unit === 'bps' ? amount / 8 : amount;
  if (bytes > 0 && bytes < 1_000) throw new Error(`"${value}" is below 1 KB/s: requests would not fit in a minute`);
  return bytes;
}


function configError(file: string, message: string): MamoriError {
  return new MamoriError('MAMORI_E_CONFIG', `${file}: ${message}`);
}
