import net from 'node:net';
import tls from 'node:tls';
import type { RawRecord } from '../core/raw-record.js';
import { FrameSplitter } from './framing.js';
import { bindFailed, type Listener } from './listener.js';
import type { ListenerConfig } from './listener-config.js';
import { listenerMetrics, type ListenerMetrics } from './metrics.js';
import { RecordRouter, type PeerIdentity, type RoutingOptions } from './record.js';
import type { CertificateIdentity } from './routing.js';
import { acceptBatch } from './sink-call.js';
import type { RecordSink } from './sink.js';

/** Records framed from one connection that are handed on at once instead of waiting for more chunks. */
const BATCH_RECORDS = 1_000;
/** How often a paused connection checks whether the sink's pressure is over. */
const PRESSURE_POLL_MS = 10;
/** Finds peers that vanished without closing (idle connections are otherwise kept forever). */
const KEEPALIVE_MS = 60_000;

/** A TLS handshake that has not finished by then is dropped (slow-loris protection). */
const HANDSHAKE_TIMEOUT_MS = 10_000;

/** What every connection of one listener shares. */
interface ConnectionContext {
  readonly sink: RecordSink;
  readonly metrics: ListenerMetrics;
  readonly router: RecordRouter;
  readonly maxMessageBytes: number;
}

/**
 * Listens for syslog over TCP (RFC 6587 framing) or TLS (RFC 5425: octet
 * counting, newline framing also read; optionally mutual TLS). A sender is
 * never dropped for being fast: a connection stops reading while its
 * records are being accepted by the sink and while the sink reports
 * pressure, so TCP flow control slows the sender down.
 */
export async function startTcpListener(config: ListenerConfig, sink: RecordSink, routing: RoutingOptions): Promise<Listener> {
  const server = config.protocol === 'tls' ? tlsServer(config) : net.createServer();
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
  return new TcpListener(config, sink, server, routing);
}

function tlsServer(config: ListenerConfig): tls.Server {
  const settings = config.tls!;
  return tls.createServer({
    cert: settings.cert,
    key: settings.key,
    ca: settings.ca,
    requestCert: settings.clientAuth !== 'none',
    rejectUnauthorized: settings.clientAuth === 'require',
    minVersion: 'TLSv1.2',
    handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
  });
}

/** The verified client certificate of a TLS connection; none for plain TCP or an unverified certificate. */
function certificateOf(socket: net.Socket): CertificateIdentity | undefined {
  if (!(socket instanceof tls.TLSSocket) || !socket.authorized) return undefined;
  const cert = socket.getPeerCertificate();
  if (!cert || Object.keys(cert).length === 0) return undefined;
  const names: string[] = [];
  const cn = cert.subject?.CN;
  if (typeof cn === 'string') names.push(cn);
  for (const entry of (cert.subjectaltname ?? '').split(', ')) if (entry.startsWith('DNS:')) names.push(entry.slice(4));
  return { names, fingerprint256: cert.fingerprint256?.replace(/:/g, '').toUpperCase() };
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
    routing: RoutingOptions,
  ) {
    this.name = config.name;
    const { address, port } = server.address() as net.AddressInfo;
    this.bound = { host: address, port };
    const metrics = listenerMetrics(config.name);
    this.context = { sink, metrics, router: new RecordRouter(config, metrics, routing), maxMessageBytes: config.maxMessageBytes };
    // A TLS connection exists for us once its handshake is done (and its certificate checked).
    server.on(config.protocol === 'tls' ? 'secureConnection' : 'connection', (socket: net.Socket) => {
      const connection = new Connection(socket, this.context, () => this.connections.delete(connection));
      this.connections.add(connection);
    });
    if (server instanceof tls.Server) server.on('tlsClientError', () => metrics.tlsErrors.inc());
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
    const identity: PeerIdentity = { address: socket.remoteAddress, certificate: certificateOf(socket) };
    const route = context.router.route(identity);
    this.framer = new FrameSplitter(context.maxMessageBytes, route.decode, (data, truncatedFrom) => {
      const record = route.build(data, this.peer, truncatedFrom);
      if (record) this.queued.push(record);
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
