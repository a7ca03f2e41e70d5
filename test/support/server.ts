import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin', 'mamori.js');

export interface TestServer {
  url: string;
  syslogPort: number;
  dataDir: string;
  adminToken: string;
  adminPassword: string;
  demoIngestToken: string;
  /** Everything the server printed so far. */
  output(): string;
  /** SIGKILL, then start again on the same data directory and ports. */
  crashAndRestart(): Promise<void>;
  /** Stops the process (SIGTERM: clean; SIGKILL: crash) and keeps the data directory, for `start()`. */
  halt(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts again after `halt()`, on the same data directory and ports. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A free loopback port (bound and released; fine for tests on one machine). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** For a server configured with `http_tls`: the PEM material its readiness probe trusts and presents. */
export interface ProbeTls {
  ca: string;
  cert?: string;
  key?: string;
}

/**
 * Starts the real `mamori serve` from the built package (dist/) in its own
 * process, on loopback ports and a fresh data directory. With `tls`, the
 * server is expected to serve HTTPS (`http_tls` in `extraConfig`).
 */
export async function startServer(extraConfig = '', tls?: ProbeTls): Promise<TestServer> {
  if (!existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mamori-e2e-'));
  const httpPort = await freePort();
  const syslogPort = await freePort();
  const configFile = path.join(dataDir, 'mamori.yaml');
  writeFileSync(
    configFile,
    `data_dir: ${JSON.stringify(path.join(dataDir, 'data'))}\nbind: 127.0.0.1\nhttp_port: ${httpPort}\n` +
      `syslog:\n  listeners:\n    - name: syslog\n      port: ${syslogPort}\n      tenant: demo\n      format: auto\n      max_message_bytes: 65536\n` +
      extraConfig,
  );
  let child: ChildProcess;
  let out = '';
  const launch = async () => {
    child = spawn(process.execPath, [BIN, 'serve', '--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MAMORI_TOKEN: '' } });
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`mamori serve exited with ${child.exitCode}:\n${out}`);
      try {
        const ok = tls ? (await httpsStatus(`https://127.0.0.1:${httpPort}/api/v1/health`, tls)) === 200 : (await fetch(`http://127.0.0.1:${httpPort}/api/v1/health`)).ok;
        if (ok && out.includes('Press Ctrl+C')) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    child.kill('SIGKILL');
    throw new Error(`mamori serve did not become ready:\n${out}`);
  };
  await launch();
  const grab = (re: RegExp) => re.exec(out)?.[1] ?? '';
  const server: TestServer = {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${httpPort}`,
    syslogPort,
    dataDir,
    adminToken: readFileSync(path.join(dataDir, 'data', 'admin.token'), 'utf8').trim(),
    adminPassword: grab(/password: (\S+)/),
    demoIngestToken: grab(/\n\s+(mmi_\S+)/),
    output: () => out,
    async crashAndRestart() {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      await launch();
    },
    async halt(signal = 'SIGTERM') {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
    async start() {
      await launch();
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const exited = new Promise((r) => child.once('exit', r));
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}

/** GETs an HTTPS URL trusting `tls.ca` (and presenting a client certificate when given); resolves with the status, 0 when unreachable. */
export function httpsStatus(url: string, tls: ProbeTls): Promise<number> {
  return new Promise((resolve) => {
    const req = https.get(url, { ca: tls.ca, cert: tls.cert, key: tls.key, timeout: 5_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/** Calls the API with a bearer token; returns status and parsed JSON. */
export async function api(server: TestServer, token: string, method: string, route: string, body?: unknown, headers: Record<string, string> = {}) {
  const init: RequestInit = { method, headers: { authorization: `Bearer ${token}`, ...headers } };
  if (body !== undefined) {
    if (typeof body === 'string' || body instanceof Uint8Array) init.body = body as BodyInit;
    else {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
  }
  const r = await fetch(server.url + route, init);
  const text = await r.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: r.status, json, headers: r.headers };
}

/** Polls until `check` returns true (bounded). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Runs the CLI (built) and returns its output. */
export async function cli(args: string[], env: Record<string, string>, input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}
