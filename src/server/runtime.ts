import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../api/app.js';
import { AdminService } from '../api/services/admin.service.js';
import { AlertService } from '../api/services/alert.service.js';
import { AuthService } from '../api/services/auth.service.js';
import { EventService } from '../api/services/event.service.js';
import { IngestService } from '../api/services/ingest.service.js';
import { LocalBus } from '../bus/local/local-bus.js';
import type { Listener } from '../collect/listener.js';
import { startTcpListener } from '../collect/syslog-tcp.js';
import { startUdpListener } from '../collect/syslog-udp.js';
import { resolveListenerConfig } from '../collect/listener-config.js';
import { RateLimiter } from '../collect/rate-limit.js';
import { readTlsFiles, type MamoriConfig } from '../config/config.js';
import { registry } from '../core/telemetry.js';
import { WorkerPool } from '../pipeline/batch-runner.js';
import { BusSink, RAW_TOPIC } from '../pipeline/bus-sink.js';
import { Processor } from '../pipeline/processor.js';
import { ChdbEventStore } from '../store/events/chdb-store.js';
import { openStateStore, type StateStore } from '../store/state/state-store.js';
import { bootstrap, type BootstrapResult } from './bootstrap.js';
import { StateSourceDirectory } from './source-directory.js';
import { VERSION } from './version.js';

export interface Runtime {
  config: MamoriConfig;
  httpUrl: string;
  listeners: { protocol: 'udp' | 'tcp' | 'tls'; listener: Listener }[];
  boot: BootstrapResult;
  processor: Processor;
  state: StateStore;
  stop(): Promise<void>;
}

/**
 * The composition root of `mamori serve` on the embedded default: state
 * store, event store, bus, processing, collectors and the API, started in
 * dependency order and stopped in reverse (intake first, then the pipeline
 * drains, then the stores close).
 */
export async function startRuntime(config: MamoriConfig): Promise<Runtime> {
  const dir = config.data_dir;
  mkdirSync(dir, { recursive: true });
  const state = await openStateStore({ kind: 'sqlite', path: path.join(dir, 'state.db') });
  const events = new ChdbEventStore(path.join(dir, 'events'));
  await events.init();
  const bus = await LocalBus.open(path.join(dir, 'bus'));
  const runner = new WorkerPool(config.pipeline.workers);
  const p = config.pipeline;
  const processor = new Processor(bus.consumer(RAW_TOPIC, 'store'), runner, events, {
    batchEvents: p.batch_events,
    batchWaitMs: p.batch_wait_ms,
    storeBatchEvents: p.store_batch_events,
    storeFlushMs: p.store_flush_ms,
    maxInFlight: config.pipeline.workers * 2,
    stateDir: path.join(dir, 'pipeline'),
  });
  const sink = new BusSink(bus, () => processor.lag(), p.max_lag_events);
  const boot = await bootstrap(state, dir, config.demo);
  processor.start();
  const directory = new StateSourceDirectory(state);
  await directory.start();
  const limiter = new RateLimiter();
  const routing = { directory, limiter };

  const listeners: { protocol: 'udp' | 'tcp' | 'tls'; listener: Listener }[] = [];
  let app: FastifyInstance | undefined;
  const stop = async () => {
    directory.stop();
    await Promise.allSettled([app?.close(), ...listeners.map((l) => l.listener.close())]);
    await processor.stop();
    await runner.close();
    await bus.close();
    await events.close();
    await state.close();
  };
  try {
    for (const l of config.syslog.listeners) {
      const tls = l.tls ? readTlsFiles(l.tls, `syslog.listeners.${l.name}.tls`) : undefined;
      for (const protocol of l.protocols) {
        const listenerConfig = resolveListenerConfig({
          name: l.name,
          protocol,
          host: config.bind,
          port: l.port,
          tenant: l.tenant,
          source: l.name,
          format: l.format,
          charset: l.charset,
          timezone: l.timezone,
          maxMessageBytes: l.max_message_bytes,
          maxConnections: l.max_connections,
          bindBy: l.bind_by,
          rateLimitEps: l.rate_limit_eps,
          tls: protocol === 'tls' ? tls : undefined,
        });
        const listener = protocol === 'udp' ? await startUdpListener(listenerConfig, sink, routing) : await startTcpListener(listenerConfig, sink, routing);
        listeners.push({ protocol, listener });
      }
    }
    app = await buildApp({
      auth: new AuthService(state, config.auth.session_hours),
      admin: new AdminService(state, () => void directory.refresh()),
      events: new EventService(events),
      alerts: new AlertService(state),
      ingest: new IngestService(state, sink, { maxBodyBytes: config.ingest.max_body_bytes, maxLineBytes: config.ingest.max_line_bytes }, limiter),
      metrics: () => registry.metrics(),
      maxBodyBytes: config.ingest.max_body_bytes,
      version: VERSION,
      secureCookies: config.http_tls !== undefined,
      https: config.http_tls ? readTlsFiles(config.http_tls, 'http_tls') : undefined,
    });
    await app.listen({ host: config.bind, port: config.http_port });
  } catch (err) {
    await stop();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.http_port;
  const host = config.bind === '0.0.0.0' || config.bind === '::' ? '127.0.0.1' : config.bind;
  const scheme = config.http_tls ? 'https' : 'http';
  return { config, httpUrl: `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`, listeners, boot, processor, state, stop };
}
