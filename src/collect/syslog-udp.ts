import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { RawRecord } from '../core/raw-record.js';
import { bindFailed, type Listener } from './listener.js';
import type { ListenerConfig } from './listener-config.js';
import { listenerMetrics, type ListenerMetrics } from './metrics.js';
import { RecordRouter, type RoutingOptions } from './record.js';
import { acceptBatch } from './sink-call.js';
import type { RecordSink } from './sink.js';

/**
 * Bursts land in the kernel buffer while a batch is being handed on. Linux
 * silently caps the size at net.core.rmem_max; other systems refuse sizes
 * above their limit, so smaller sizes are tried down to the floor.
 */
const RECV_BUFFER_BYTES = 8 * 1024 * 1024;
const RECV_BUFFER_FLOOR_BYTES = 256 * 1024;
const BATCH_RECORDS = 1_000;
const BATCH_WAIT_MS = 20;
/** Beyond this many unresolved accepts the sink is not keeping up: new datagrams are dropped and counted. */
const MAX_IN_FLIGHT_BATCHES = 8;

const NUL = 0x00;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Listens for syslog over UDP: one datagram is one message. UDP cannot push
 * back on a sender, so when the sink is behind datagrams are dropped, and
 * every drop is counted.
 */
export async function startUdpListener(config: ListenerConfig, sink: RecordSink, routing: RoutingOptions): Promise<Listener> {
  const socket = dgram.createSocket({ type: isIPv6(config.host) ? 'udp6' : 'udp4' });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ address: config.host, port: config.port, exclusive: true }, () => {
        socket.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    socket.close();
    throw bindFailed(config, err);
  }
  raiseReceiveBuffer(socket);
  return new UdpListener(config, sink, socket, routing);
}

/**
 * Set after bind rather than through createSocket's `recvBufferSize`: there a
 * refused size throws from inside the bind callback, out of reach of a catch.
 */
function raiseReceiveBuffer(socket: dgram.Socket): void {
  for (let size = RECV_BUFFER_BYTES; size >= RECV_BUFFER_FLOOR_BYTES; size /= 2) {
    try {
      socket.setRecvBufferSize(size);
      return;
    } catch {
      // The system refuses this size: try half of it. The default size still works, only with less slack.
    }
  }
}

class UdpListener implements Listener {
  readonly name: string;
  private readonly bound: { host: string; port: number };
  private readonly metrics: ListenerMetrics;
  private readonly router: RecordRouter;
  private readonly maxMessageBytes: number;
  private batch: RawRecord[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private closed: Promise<void> | undefined;

  constructor(
    config: ListenerConfig,
    private readonly sink: RecordSink,
    private readonly socket: dgram.Socket,
    routing: RoutingOptions,
  ) {
    this.name = config.name;
    const { address, port } = socket.address();
    this.bound = { host: address, port };
    this.maxMessageBytes = config.maxMessageBytes;
    this.metrics = listenerMetrics(config.name);
    this.router = new RecordRouter(config, this.metrics, routing);
    socket.on('message', (msg, rinfo) => this.onMessage(msg, rinfo));
    socket.on('error', () => this.metrics.socketErrors.inc());
  }

  address(): { host: string; port: number } {
    return { ...this.bound };
  }

  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve) => this.socket.close(() => resolve())).then(async () => {
      this.flush();
      await Promise.all(this.inFlight);
    });
    return this.closed;
  }

  private onMessage(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    this.metrics.receivedBytes.inc(msg.length);
    if (this.inFlight.size >= MAX_IN_FLIGHT_BATCHES || this.sink.pressure()) {
      this.metrics.udpDroppedBackpressure.inc();
      return;
    }
    let end = msg.length;
    while (end > 0 && (msg[end - 1] === LF || msg[end - 1] === CR || msg[end - 1] === NUL)) end--;
    if (end === 0) return;
    const truncatedFrom = end > this.maxMessageBytes ? end : undefined;
    const route = this.router.route({ address: rinfo.address });
    const record = route.build(route.decode(msg.subarray(0, Math.min(end, this.maxMessageBytes))), `${rinfo.address}:${rinfo.port}`, truncatedFrom);
    if (!record) return;
    this.batch.push(record);
    if (this.batch.length >= BATCH_RECORDS) this.flush();
    else this.flushTimer ??= setTimeout(() => this.flush(), BATCH_WAIT_MS);
  }

  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.batch.length === 0) return;
    const records = this.batch;
    this.batch = [];
    this.metrics.batches.inc();
    const accepted: Promise<void> = acceptBatch(this.sink, records)
      .catch(() => {
        this.metrics.sinkErrors.inc();
        this.metrics.udpDroppedSinkError.inc(records.length);
      })
      .finally(() => this.inFlight.delete(accepted));
    this.inFlight.add(accepted);
  }
}
