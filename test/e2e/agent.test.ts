import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { api, BIN, cli, eventually, startServer, type ProbeTls, type TestServer } from '../support/server.js';

// End to end: the real `mamori agent` process tails a file and forwards it
// to the real `mamori serve`; the server is killed and stopped mid-stream
// and the file rotated meanwhile; every line must be stored exactly once.

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
function line(run: string, i: number): string {
  const d = new Date();
  const time = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)}`;
  return `<134>${time} web01 app[42]: ${run} n${i} user=alice action=login`;
}

interface Agent {
  child: ChildProcess;
  output(): string;
  config: string;
}

function startAgent(dir: string, yaml: string): Agent {
  const config = path.join(dir, 'agent.yaml');
  writeFileSync(config, yaml);
  let out = '';
  const child = spawn(process.execPath, [BIN, 'agent', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const agent = { child, output: () => out, config };
  cleanups.push(() => stopAgent(agent));
  return agent;
}

async function stopAgent(agent: Agent): Promise<void> {
  if (agent.child.exitCode !== null || agent.child.signalCode !== null) return;
  const exited = new Promise((r) => agent.child.once('exit', r));
  agent.child.kill('SIGTERM');
  const timer = setTimeout(() => agent.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

async function agentStatus(agent: Agent): Promise<any> {
  const r = await cli(['agent', 'status', '--json', '--config', agent.config], {});
  return JSON.parse(r.stdout);
}

/** Writes lines i in [from, to) in bursts, spread over `ms`. */
async function writeLines(file: string, run: string, from: number, to: number, ms: number): Promise<void> {
  const bursts = 10;
  const per = Math.ceil((to - from) / bursts);
  for (let start = from; start < to; start += per) {
    let text = '';
    for (let i = start; i < Math.min(to, start + per); i++) text += line(run, i) + '\n';
    appendFileSync(file, text);
    await new Promise((r) => setTimeout(r, ms / bursts));
  }
}

type Get = (route: string) => Promise<any>;

/** Every stored line of the run: count, and the numbers found with how often each. */
async function stored(get: Get, run: string): Promise<{ count: number; numbers: Map<number, number> }> {
  const range = `from=now-2d&to=now%2B1d&tenant=demo`;
  const count = (await get(`/api/v1/events/count?q=${run}&${range}`)).count as number;
  const numbers = new Map<number, number>();
  const { events } = await get(`/api/v1/events?q=${run}&${range}&limit=10000`);
  for (const e of events as Record<string, unknown>[]) {
    const m = / n(\d+) /.exec(String(e['event.original']));
    if (m) numbers.set(Number(m[1]), (numbers.get(Number(m[1])) ?? 0) + 1);
  }
  return { count, numbers };
}

function expectExactlyOnce(result: { count: number; numbers: Map<number, number> }, n: number): void {
  expect(result.count).toBe(n);
  const missing = Array.from({ length: n }, (_, i) => i).filter((i) => !result.numbers.has(i));
  const twice = [...result.numbers].filter(([, c]) => c !== 1);
  expect({ missing: missing.slice(0, 20), twice: twice.slice(0, 20) }).toEqual({ missing: [], twice: [] });
  expect(result.numbers.size).toBe(n);
}

function agentYaml(server: TestServer, dataDir: string, logFile: string, extra = ''): string {
  return (
    `server: ${server.url}\ntoken: ${server.demoIngestToken}\ndata_dir: ${JSON.stringify(dataDir)}\n` +
    `send:\n  batch_events: 200\n  batch_wait_ms: 100\n  timeout_ms: 5000\n` +
    `inputs:\n  - name: app\n    type: file\n    paths: [${JSON.stringify(logFile)}]\n    format: rfc3164\n    start_at: beginning\n    timezone: UTC\n` +
    extra
  );
}

describe('mamori agent', () => {
  it('forwards a file through a server crash, a clean server stop and a rotation, storing every line exactly once', async () => {
    const server = await startServer();
    cleanups.push(() => server.stop());
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mamori-agent-e2e-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const logFile = path.join(dir, 'app.log');
    writeFileSync(logFile, '');
    const run = `ae2e${Date.now().toString(36)}`;
    const N = 3_000;
    const agent = startAgent(dir, agentYaml(server, path.join(dir, 'agent-data'), logFile));
    const get: Get = async (route) => {
      const r = await api(server, server.adminToken, 'GET', route);
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      return r.json;
    };

    await writeLines(logFile, run, 0, 600, 1_000);
    await eventually(async () => (await agentStatus(agent)).send.sentEvents > 0, 20_000, 'a first delivery');

    // Crash the server mid-stream and keep writing; rotate the file while it is down.
    const writing = writeLines(logFile, run, 600, 1_200, 1_000);
    await server.halt('SIGKILL');
    await writing;
    await writeLines(logFile, run, 1_200, 1_500, 500);
    renameSync(logFile, `${logFile}.1`);
    writeFileSync(logFile, '');
    await writeLines(logFile, run, 1_500, 1_800, 500);
    await eventually(
      async () => {
        const s = await agentStatus(agent);
        return s.state === 'running' && s.outbox.events > 0 && s.send.currentError !== null;
      },
      20_000,
      'the agent to buffer and report the outage',
    );
    const down = await agentStatus(agent);
    expect(down.send.currentError.message).toMatch(/cannot reach the server/);
    const human = await cli(['agent', 'status', '--config', agent.config], {});
    expect(human.stdout).toMatch(/running \(pid/);
    expect(human.stdout).toMatch(/outbox: [1-9]\d* events/);
    expect(human.stdout).toMatch(/error: cannot reach the server/);

    await server.start();
    await writeLines(logFile, run, 1_800, 2_400, 1_000);
    // A clean stop this time, in the middle of writing.
    const writing2 = writeLines(logFile, run, 2_400, 2_700, 1_000);
    await server.halt('SIGTERM');
    await writing2;
    await server.start();
    await writeLines(logFile, run, 2_700, N, 500);

    await eventually(async () => (await get(`/api/v1/events/count?q=${run}&from=now-2d&to=now%2B1d&tenant=demo`)).count >= N, 120_000, `${N} events`);
    // Give late resends a chance to show up as duplicates before checking.
    await eventually(async () => (await agentStatus(agent)).outbox.events === 0, 30_000, 'an empty outbox');
    await new Promise((r) => setTimeout(r, 1_500));
    expectExactlyOnce(await stored(get, run), N);

    const final = await agentStatus(agent);
    expect(final.send.currentError).toBeNull();
    expect(final.send.lastSuccess).toBeGreaterThan(Date.now() - 60_000);
    expect(final.inputs[0].lines).toBe(N);
    await stopAgent(agent);
    expect(agent.child.exitCode).toBe(0);
    expect((await agentStatus(agent)).state).toBe('stopped');
  }, 300_000);

  it('resumes after the agent itself is killed mid-stream, without loss or duplicates', async () => {
    const server = await startServer();
    cleanups.push(() => server.stop());
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mamori-agent-e2e-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const logFile = path.join(dir, 'app.log');
    writeFileSync(logFile, '');
    const run = `ae2k${Date.now().toString(36)}`;
    const yaml = agentYaml(server, path.join(dir, 'agent-data'), logFile);
    let agent = startAgent(dir, yaml);
    // Killed with SIGKILL twice while lines are being written, read and sent: lines read again after a kill keep
    // their ids (derived from file, offset and content) and are flagged as resent, so the server stores them once.
    const writing = writeLines(logFile, run, 0, 1_500, 1_500);
    for (const at of [600, 500]) {
      await new Promise((r) => setTimeout(r, at));
      agent.child.kill('SIGKILL');
      await new Promise((r) => agent.child.once('exit', r));
      agent = startAgent(dir, yaml);
    }
    await writing;
    await writeLines(logFile, run, 1_500, 2_000, 500);
    const get: Get = async (route) => (await api(server, server.adminToken, 'GET', route)).json;
    await eventually(async () => (await get(`/api/v1/events/count?q=${run}&from=now-2d&to=now%2B1d&tenant=demo`)).count >= 2_000, 60_000, '2000 events');
    await eventually(async () => (await agentStatus(agent)).outbox.events === 0, 30_000, 'an empty outbox');
    await new Promise((r) => setTimeout(r, 1_500));
    expectExactlyOnce(await stored(get, run), 2_000);
  }, 180_000);

  it('forwards over HTTPS with a private CA and a client certificate', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mamori-agent-tls-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const pki = makePki(dir);
    const probe: ProbeTls = { ca: readFileSync(pki.ca, 'utf8'), cert: readFileSync(pki.clientCert, 'utf8'), key: readFileSync(pki.clientKey, 'utf8') };
    const server = await startServer(`http_tls:\n  cert_file: ${JSON.stringify(pki.serverCert)}\n  key_file: ${JSON.stringify(pki.serverKey)}\n  ca_file: ${JSON.stringify(pki.ca)}\n  client_auth: require\n`, probe);
    cleanups.push(() => server.stop());
    expect(server.url).toMatch(/^https:/);
    const logFile = path.join(dir, 'app.log');
    const run = `ae2t${Date.now().toString(36)}`;
    writeFileSync(logFile, Array.from({ length: 100 }, (_, i) => line(run, i)).join('\n') + '\n');
    const tlsYaml = `tls:\n  ca_file: ${JSON.stringify(pki.ca)}\n  cert_file: ${JSON.stringify(pki.clientCert)}\n  key_file: ${JSON.stringify(pki.clientKey)}\n`;
    const agent = startAgent(dir, agentYaml(server, path.join(dir, 'agent-data'), logFile, tlsYaml));
    const get: Get = (route) => httpsJson(server.url + route, server.adminToken, probe);
    await eventually(async () => (await get(`/api/v1/events/count?q=${run}&from=now-2d&to=now%2B1d&tenant=demo`)).count >= 100, 60_000, '100 events over HTTPS');
    expectExactlyOnce(await stored(get, run), 100);
    expect(agent.output()).not.toMatch(/WARNING/);
  }, 180_000);
});

/** A throwaway CA, a server certificate for 127.0.0.1 and a client certificate, made with the openssl CLI. */
function makePki(dir: string) {
  const p = (name: string) => path.join(dir, name);
  const run = (args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
  };
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('ca.key'), '-out', p('ca.pem'), '-days', '2', '-subj', '/CN=Mamori test CA']);
  writeFileSync(p('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  writeFileSync(p('client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const who of ['server', 'client']) {
    run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', p(`${who}.key`), '-out', p(`${who}.csr`), '-subj', `/CN=${who === 'server' ? 'localhost' : 'agent-site-1'}`]);
    run(['x509', '-req', '-in', p(`${who}.csr`), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial', '-out', p(`${who}.pem`), '-days', '2', '-extfile', p(`${who}.ext`)]);
  }
  return { ca: p('ca.pem'), serverCert: p('server.pem'), serverKey: p('server.key'), clientCert: p('client.pem'), clientKey: p('client.key') };
}

function httpsJson(url: string, token: string, tls: ProbeTls): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ca: tls.ca, cert: tls.cert, key: tls.key, headers: { authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(body)) : reject(new Error(`${res.statusCode}: ${body}`))));
    });
    req.on('error', reject);
  });
}
