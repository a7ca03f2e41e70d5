import { once } from 'node:events';
import net from 'node:net';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { ProbeTracker } from './probes.js';
import type { BenchListener } from './server.js';
import { probeLine } from './traffic.js';

const PROBE_INTERVAL_MS = 100;
const CONNECT_TIMEOUT_MS = 10_000;
/** Longest wait for the server to read what is still buffered when sending ends. */
const FLUSH_TIMEOUT_MS = 30_000;

/** Pre-built batches of newline-terminated lines, so the send loop only hands buffers to sockets. */
export interface LinePool {
  batches: Buffer[];
  linesPerBatch: number;
}

/** Joins lines into batches of `linesPerBatch` (a remainder shorter than a batch is left out). */
export function buildPool(lines: readonly string[], linesPerBatch: number): LinePool {
  const batches: Buffer[] = [];
  for (let i = 0; i + linesPerBatch <= lines.length; i += linesPerBatch) {
    batches.push(Buffer.from(lines.slice(i, i + linesPerBatch).join('\n') + '\n', 'utf8'));
  }
  if (batches.length === 0) throw new RangeError(`a pool needs at least ${linesPerBatch} lines`);
  return { batches, linesPerBatch };
}

export interface LoadOptions {
  listeners: readonly BenchListener[];
  /** One pool per listener (same order). */
  pools: readonly LinePool[];
  connections: number;
  durationMs: number;
  /** Total target rate in lines/s over all connections; undefined = as fast as the server reads. */
  rate?: number;
  probes: ProbeTracker;
}

export interface LoadResult {
  /** Lines written, probes included. */
  sent: number;
  firstSendAt: number;
  lastSendAt: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function connect(port: number): Promise<net.Socket> {
  const socket = net.connect({ host: '127.0.0.1', port, noDelay: true });
  // A socket error with no listener would crash the process; the send loop sees `destroyed` instead.
  socket.on('error', () => {});
  socket.setTimeout(CONNECT_TIMEOUT_MS, () => socket.destroy(new Error(`connect to 127.0.0.1:${port} timed out`)));
  await once(socket, 'connect');
  socket.setTimeout(0);
  return socket;
}

/** Resolves on 'drain' (the server read enough); rejects when the connection closes first. */
function drained(socket: net.Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      socket.off('drain', onDrain);
      socket.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(new Error(`the server closed the connection ${socket.localPort ?? ''} while the bench was sending`));
    socket.on('drain', onDrain);
    socket.on('close', onClose);
  });
}

/** Writes `data`, waiting for the server to read when the socket's buffer is full; yields to timers either way. */
async function write(socket: net.Socket, data: Buffer | string): Promise<void> {
  if (socket.destroyed) throw new Error('the server closed a connection while the bench was sending');
  if (socket.write(data)) await yieldToLoop();
  else await drained(socket);
}

interface LoopOptions {
  pool: LinePool;
  /** Index of the first batch, so connections sharing a pool do not send the same bytes in step. */
  firstBatch: number;
  start: number;
  until: number;
  /** Lines/s for this connection, or undefined for as fast as accepted. */
  rate: number | undefined;
}

/** One connection's traffic: batches from its pool until `until`; returns the lines sent. */
async function sendLoop(socket: net.Socket, o: LoopOptions): Promise<number> {
  const { pool, rate } = o;
  let sent = 0;
  let batch = o.firstBatch % pool.batches.length;
  for (let now = Date.now(); now < o.until; now = Date.now()) {
    if (rate !== undefined) {
      const due = o.start + ((sent + pool.linesPerBatch) / rate) * 1000;
      if (due > now) {
        await sleep(Math.min(due, o.until) - now);
        continue;
      }
    }
    await write(socket, pool.batches[batch]);
    batch = (batch + 1) % pool.batches.length;
    sent += pool.linesPerBatch;
  }
  return sent;
}

/**
 * Writes a probe every 100 ms on its own timer, not between batches: under
 * back-pressure the probe queues behind the traffic already handed to the
 * socket, exactly like a real event, and the cadence stays 100 ms.
 * Returns a function that stops it and gives the number of probes sent.
 */
function startProbes(socket: net.Socket, probes: ProbeTracker): () => number {
  let sent = 0;
  const timer = setInterval(() => {
    if (socket.destroyed) return;
    const now = Date.now();
    socket.write(probeLine(probes.send(now), now) + '\n');
    sent++;
  }, PROBE_INTERVAL_MS);
  return () => {
    clearInterval(timer);
    return sent;
  };
}

/** Ends the socket once the server has read everything (bounded), so no accepted line is cut off. */
async function flush(socket: net.Socket): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    new Promise<void>((resolve) => socket.end(resolve)),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, FLUSH_TIMEOUT_MS))),
  ]);
  clearTimeout(timer);
}

/**
 * Opens `connections` TCP connections spread round-robin over the
 * listeners and sends for the duration, respecting back-pressure. Every
 * socket is closed before it returns, also on errors.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const sockets: net.Socket[] = [];
  let stopProbes: (() => number)[] = [];
  try {
    for (let i = 0; i < options.connections; i++) sockets.push(await connect(options.listeners[i % options.listeners.length].port));
    const firstSendAt = Date.now();
    const until = firstSendAt + options.durationMs;
    const rate = options.rate === undefined ? undefined : options.rate / options.connections;
    stopProbes = sockets.map((socket) => startProbes(socket, options.probes));
    const counts = await Promise.all(
      sockets.map((socket, i) => {
        const pool = options.pools[i % options.pools.length];
        const firstBatch = Math.floor((i * pool.batches.length) / options.connections);
        return sendLoop(socket, { pool, firstBatch, start: firstSendAt, until, rate });
      }),
    );
    const probesSent = stopProbes.reduce((sum, stop) => sum + stop(), 0);
    stopProbes = [];
    await Promise.all(sockets.map(flush));
    return { sent: counts.reduce((a, b) => a + b, 0) + probesSent, firstSendAt, lastSendAt: Date.now() };
  } finally {
    for (const stop of stopProbes) stop();
    for (const socket of sockets) socket.destroy();
  }
}
