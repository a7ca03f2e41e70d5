import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../bus/local/durable-fs.js';
import { getParser } from '../parse/registry.js';
import { VERSION } from '../server/version.js';
import type { AgentConfig } from './config.js';
import { FileInput } from './file-input.js';
import { Outbox } from './outbox.js';
import { PositionStore } from './positions.js';
import { RateLimiter } from './rate-limiter.js';
import { Sender } from './sender.js';
import { STATUS_INTERVAL_MS, statusFile, type AgentStatus } from './status.js';
import { SyslogInput } from './syslog-input.js';
import { httpTransport } from './transport.js';

export interface RunningAgent {
  status(): Promise<AgentStatus>;
  /** Stops the inputs (what they read is in the outbox), then the sender; saves positions and the final status. */
  stop(): Promise<void>;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Starts the agent: outbox first (its directory lock makes one agent per
 * data directory), then the sender, then the inputs.
 */
export async function startAgent(config: AgentConfig, log: (message: string) => void): Promise<RunningAgent> {
  const server = new URL(config.server);
  if (config.tls.insecure_skip_verify) {
    log('WARNING: tls.insecure_skip_verify is on: the SOC certificate is NOT checked; anyone on the path can read and change the logs. Use tls.ca_file instead.');
  }
  if (server.protocol === 'http:' && !LOOPBACK.has(server.hostname)) {
    log(`WARNING: ${config.server} is plain HTTP: logs and the token cross the network unencrypted. Use https://.`);
  }
  // Unknown parser names fail here, with the list of known ones, not as refused batches at the SOC.
  for (const input of config.inputs) getParser(input.format);
  await mkdir(config.data_dir, { recursive: true, mode: 0o700 });
  const outbox = await Outbox.open(path.join(config.data_dir, 'outbox'), config.buffer.max_bytes);
  const started = Date.now();
  const files: FileInput[] = [];
  const syslogs: SyslogInput[] = [];
  let transport: ReturnType<typeof httpTransport> | undefined;
  let sender: Sender | undefined;
  try {
    const positions = await PositionStore.open(config.data_dir);
    transport = httpTransport(config.server, config.tls, config.send.timeout_ms);
    const limiter = new RateLimiter(config.send.bandwidth);
    sender = new Sender(outbox, transport, limiter, {
      token: config.token,
      agentName: config.name,
      batchEvents: config.send.batch_events,
      batchWaitMs: config.send.batch_wait_ms,
      rejectedFile: path.join(config.data_dir, 'rejected.ndjson'),
      log,
    });
    for (const input of config.inputs) {
      if (input.type === 'file') files.push(new FileInput(input, outbox, positions, { log: (m) => log(`input ${input.name}: ${m}`) }));
      else syslogs.push(await SyslogInput.start(input, outbox));
    }
    const activeSender = sender;
    const status = async (stopped = false): Promise<AgentStatus> => {
      const depth = outbox.depth();
      const s = activeSender.stats;
      return {
        pid: process.pid,
        version: VERSION,
        name: config.name,
        server: config.server,
        started,
        updated: Date.now(),
        stopped,
        inputs: [...files.map((f) => f.status()), ...(await Promise.all(syslogs.map((i) => i.status())))],
        outbox: { ...depth, maxBytes: config.buffer.max_bytes, full: outbox.pressure(), oldestUnsentAgeMs: s.oldestUnsent === null ? null : Date.now() - s.oldestUnsent },
        send: {
          lastSuccess: s.lastSuccess,
          sentEvents: s.sentEvents,
          sentBytes: s.sentBytes,
          duplicates: s.duplicates,
          rejected: s.rejected,
          requests: s.requests,
          failures: s.failures,
          currentError: s.currentError,
          lastErrors: s.lastErrors,
          bandwidthInUse: limiter.inUse(),
          bandwidthCap: config.send.bandwidth,
        },
      };
    };
    const writeStatus = async (stopped = false) => writeFileAtomic(statusFile(config.data_dir), JSON.stringify(await status(stopped)));
    let writing: Promise<void> = writeStatus();
    await writing;
    const timer = setInterval(() => {
      writing = writing.then(() => writeStatus()).catch((err: unknown) => log(`cannot write the status file: ${(err as Error).message}`));
    }, STATUS_INTERVAL_MS);
    activeSender.start();
    for (const f of files) f.start();
    const depth = outbox.depth();
    log(`agent ${config.name} started: ${config.inputs.length} inputs, sending to ${config.server}; outbox holds ${depth.events} events`);
    let stopping: Promise<void> | undefined;
    return {
      status: () => status(),
      stop() {
        stopping ??= (async () => {
          clearInterval(timer);
          await Promise.all([...files.map((f) => f.close()), ...syslogs.map((i) => i.close())]);
          const senderDone = activeSender.close();
          // Cuts a request in flight: its records stay in the outbox and go again, flagged as a retry, next start.
          transport?.close();
          await senderDone;
          await writing.catch(() => undefined);
          await writeStatus(true).catch(() => undefined);
          const left = outbox.depth().events;
          await outbox.close();
          log(`agent stopped; ${left} events left in the outbox`);
        })();
        return stopping;
      },
    };
  } catch (err) {
    await Promise.all(syslogs.map((i) => i.close()));
    await sender?.close();
    transport?.close();
    await outbox.close();
    throw err;
  }
}
