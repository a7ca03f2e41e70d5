import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { BenchApi } from './api.js';

/** bin/mamori.js of this package: src/bench/ and dist/bench/ are both two levels below the root. */
const MAMORI_BIN = fileURLToPath(new URL('../../bin/mamori.js', import.meta.url));
const LOOPBACK = '127.0.0.1';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;
/** Server output kept for the error message when it fails to start. */
const OUTPUT_TAIL_CHARS = 4_000;

export interface BenchListener {
  tenant: string;
  port: number;
}

export interface ServerOptions {
  /** Temporary directory holding the config and the data directory. */
  dir: string;
  tenants: readonly string[];
}

/** A Mamori server running as a child process on loopback ports. */
export interface BenchServer {
  pid: number;
  api: BenchApi;
  listeners: BenchListener[];
  /** Stops the server (SIGTERM, then SIGKILL after a bounded wait); safe to call twice. */
  stop(): Promise<void>;
}

/** A port that was free a moment ago (bind :0, read, close); the server binds it right after. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, LOOPBACK);
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

async function freePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  // Bounded: the kernel hands out distinct ephemeral ports, a repeat is rare.
  for (let tries = 0; ports.size < n && tries < n * 10; tries++) ports.add(await freePort());
  if (ports.size < n) throw new Error(`could not find ${n} free loopback ports`);
  return [...ports];
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Waits for the child to exit, at most `ms`; true when it did. */
async function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return true;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const done = once(child, 'exit').then(() => true);
  try {
    return await Promise.race([done, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (exited(child)) return;
  child.kill('SIGTERM');
  if (await waitExit(child, STOP_TIMEOUT_MS)) return;
  child.kill('SIGKILL');
  await waitExit(child, STOP_TIMEOUT_MS);
}

/**
 * Writes a config with one TCP listener per tenant, starts `mamori serve`
 * on it, waits until the API answers and creates the tenants. The child is
 * stopped again when any of this fails, so no server outlives the call.
 */
export async function startServer(options: ServerOptions): Promise<BenchServer> {
  const [httpPort, ...syslogPorts] = await freePorts(options.tenants.length + 1);
  const listeners = options.tenants.map((tenant, i) => ({ tenant, port: syslogPorts[i] }));
  const dataDir = path.join(options.dir, 'data');
  const configFile = path.join(options.dir, 'mamori.yaml');
  const config = {
    data_dir: dataDir,
    bind: LOOPBACK,
    http_port: httpPort,
    demo: false,
    syslog: {
      listeners: listeners.map((l) => ({ name: l.tenant, protocols: ['tcp'], port: l.port, tenant: l.tenant, format: 'auto', charset: 'utf-8', timezone: 'UTC' })),
    },
  };
  await writeFile(configFile, stringify(config));

  const child = spawn(process.execPath, [MAMORI_BIN, 'serve', '--config', configFile, '--data', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const spawned = once(child, 'spawn');
  try {
    await spawned;
    const api = await waitReady(child, `http://${LOOPBACK}:${httpPort}`, path.join(dataDir, 'admin.token'), () => output);
    for (const tenant of options.tenants) await api.createTenant(tenant, `Bench ${tenant}`);
    return { pid: child.pid!, api, listeners, stop: () => stopChild(child) };
  } catch (err) {
    await stopChild(child);
    throw err;
  }
}

/** Polls the health route until it answers (bounded), then reads the admin token written on first start. */
async function waitReady(child: ChildProcess, url: string, tokenFile: string, output: () => string): Promise<BenchApi> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  const fail = (why: string) => new Error(`mamori serve ${why}; its output ended with:\n${output()}`);
  while (!(await BenchApi.healthy(url))) {
    if (exited(child)) throw fail(`exited with ${child.exitCode ?? child.signalCode}`);
    if (Date.now() > deadline) throw fail(`did not answer ${url}/api/v1/health within ${START_TIMEOUT_MS / 1000} s`);
    await sleep(200);
  }
  const token = (await readFile(tokenFile, 'utf8')).trim();
  if (!token) throw fail(`wrote an empty ${tokenFile}`);
  return new BenchApi(url, token);
}
