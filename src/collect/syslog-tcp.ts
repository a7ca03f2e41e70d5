import net from 'node:net';
import type { RawRecord } from '../core/raw-record.js';
import { makeDecoder, type Decoder } from './decode.js';
import { FrameSplitter } from './framing.js';
import { bindFailed, type Listener } from './listener.js';
import type { ListenerConfig } from './listener-config.js';
import { listenerMetrics, type ListenerMetrics } from './metrics.js';
import { recordBuilder, type RecordBuilder } from './record.js';
import { acceptBatch } from './sink-call.js';
import type { RecordSink } from './sink.js';

/** Records framed from one connection that are handed on at once instead of waiting for more chunks. */
const BATCH_RECORDS = 1_000;
/** How often a paused connection checks whether the sink's pressure is over. */
const PRESSURE_POLL_MS = 10;
/** Finds peers that vanished without closing (idle connections are otherwise kept forever). */
const KEEPALIVE_MS = 60_000;

/** What every connection of one listener shares. */
interface ConnectionContext {
  readonly sink: RecordSink;
  readonly metrics: ListenerMetrics;
  readonly decode: Decoder;
  readonly build: RecordBuilder;
  readonly maxMessageBytes: number;
}

/**
 * Listens for syslog over TCP (RFC 6587 framing). A sender is never dropped
 * for being fast: a connection stops reading while its records are being
 * accepted by the sink and while the sink reports pressure, so TCP flow
 * control slows the sender down.
 */
export async function startTcpListener(config: ListenerConfig, sink: RecordSink): Promise<Listener> {
  const decode = makeDecoder(config.charset);
  const server = net.createServer();
  server.maxConnections = config.maxConnections;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: config.host, port: config.port, exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    server.close();
    throw bindFailed(config, err);
  }
  return new TcpListener(config, sink, server, decode);
}

class TcpListener implements Listener {
  readonly name: string;
  private readonly bound: { host: string; port: number };
  private readonly context: ConnectionContext;
  private readonly connections = new Set<Connection>();
  private closed: Promise<void> | undefined;

  constructor(
    config: ListenerConfig,
    sink: RecordSink,
    private readonly server: net.Server,
    decode: Decoder,
  ) {
    this.name = config.name;
    const { address, port } = server.address() as net.AddressInfo;
    this.bound = { host: address, port };
    const metrics = listenerMetrics(config.name);
    this.context = { sink, metrics, decode, build: recordBuilder(config, metrics), maxMessageBytes: config.maxMessageBytes };
    server.on('connection', (socket) => {
      const connection = new Connection(socket, this.context, () => this.connections.delete(connection));
      this.connections.add(connection);
    });
    server.on('drop', () => metrics.tcpRejected.inc());
    server.on('error', () => metrics.socketErrors.inc());
  }

  address(): { host: string; port: number } {
    return { ...this.bound };
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      const serverClosed = new Promise<void>((resolve) => this.server.close(() => resolve()));
      await Promise.all([...this.connections].map((connection) => connection.shutdown()));
      await serverClosed;
    })();
    return this.closed;
  }
}

/**
 * One sender. At most one `accept` is pending per connection; records framed
 * meanwhile are queued and go into the next accept together, so a busy sink
 * gets fewer, larger batches.
 */
class Connection {
  private readonly peer: string | undefined;
  private readonly framer: FrameSplitter;
  private queued: RawRecord[] = [];
  private accepting: Promise<void> | undefined;
  private dispatchSoon: NodeJS.Immediate | undefined;
  private pressureTimer: NodeJS.Timeout | undefined;
  private shuttingDown = false;

  constructor(
    private readonly socket: net.Socket,
    private readonly context: ConnectionContext,
    onClosed: () => void,
  ) {
    // A peer that reset before we looked has no address any more; its bytes (if any) still count.
    this.peer = socket.remoteAddress === undefined ? undefined : `${socket.remoteAddress}:${socket.remotePort}`;
    this.framer = new FrameSplitter(context.maxMessageBytes, context.decode, (data, truncatedFrom) => {
      this.queued.push(context.build(data, this.peer, truncatedFrom));
    });
    context.metrics.tcpOpen.inc();
    socket.setKeepAlive(true, KEEPALIVE_MS);
    socket.on('data', (chunk: Buffer) => {
      context.metrics.receivedBytes.inc(chunk.length);
      this.framer.push(chunk);
      this.schedule();
    });
    socket.on('end', () => {
      this.framer.end();
      this.schedule();
    });
    socket.on('error', () => context.metrics.socketErrors.inc());
    // The connection stays known to the listener until what it framed is accepted, so close() waits for it.
    socket.on('close', () => {
      context.metrics.tcpOpen.dec();
      clearTimeout(this.pressureTimer);
      void this.drain().then(onClosed);
    });
  }

  /** Stops reading, waits until every framed record is accepted, then closes the socket. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    this.socket.pause();
    clearTimeout(this.pressureTimer);
    await this.drain();
    this.socket.destroy();
  }

  private async drain(): Promise<void> {
    while (this.accepting || this.queued.length > 0) {
      if (!this.accepting) this.dispatch();
      await this.accepting;
    }
  }

  /**
   * Hands queued records on: at once for a full batch, otherwise after the
   * chunks already read in this turn of the event loop have been framed.
   */
  private schedule(): void {
    if (this.accepting || this.queued.length === 0) return;
    if (this.queued.length >= BATCH_RECORDS) this.dispatch();
    else this.dispatchSoon ??= setImmediate(() => this.dispatch());
  }

  private dispatch(): void {
    clearImmediate(this.dispatchSoon);
    this.dispatchSoon = undefined;
    if (this.accepting || this.queued.length === 0) return;
    const records = this.queued;
    this.queued = [];
    this.socket.pause();
    this.context.metrics.batches.inc();
    this.accepting = acceptBatch(this.context.sink, records).then(
      () => this.accepted(),
      () => this.failed(),
    );
  }

  private accepted(): void {
    this.accepting = undefined;
    if (this.queued.length > 0) this.dispatch();
    else if (!this.shuttingDown) this.resumeWhenReady();
  }

  /**
   * The sink could not take the batch: the records cannot be acknowledged,
   * so the connection is reset and the sender sees the failure.
   */
  private failed(): void {
    this.accepting = undefined;
    this.queued = [];
    this.context.metrics.sinkErrors.inc();
    this.socket.destroy();
  }

  private resumeWhenReady(): void {
    this.pressureTimer = undefined;
    if (this.shuttingDown || this.socket.destroyed) return;
    if (this.context.sink.pressure()) this.pressureTimer = setTimeout(() => this.resumeWhenReady(), PRESSURE_POLL_MS);
    else this.socket.resume();
  }
}
