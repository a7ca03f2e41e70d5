import type { Listener } from '../collect/listener.js';
import { resolveListenerConfig } from '../collect/listener-config.js';
import { RateLimiter } from '../collect/rate-limit.js';
import type { RoutingOptions } from '../collect/record.js';
import type { RecordSink } from '../collect/sink.js';
import { startTcpListener } from '../collect/syslog-tcp.js';
import { startUdpListener } from '../collect/syslog-udp.js';
import type { RawRecord } from '../core/raw-record.js';
import { registry } from '../core/telemetry.js';
import type { SyslogInputConfig } from './config.js';

export interface SyslogInputStatus {
  name: string;
  type: 'syslog';
  listening: { protocol: string; host: string; port: number }[];
  lines: number;
  /** UDP datagrams dropped because the outbox was over its cap (UDP cannot push back). */
  udpDropped: number;
  /** True while the outbox is over its cap: TCP senders are slowed down, UDP datagrams dropped. */
  pushingBack: boolean;
}

/**
 * Local syslog for devices at the site: the server's own UDP and TCP
 * listeners, feeding the outbox. Their back-pressure follows the outbox cap.
 */
export class SyslogInput {
  private lines = 0;

  private constructor(
    private readonly config: SyslogInputConfig,
    private readonly sink: RecordSink,
    private readonly listeners: Listener[],
  ) {}

  static async start(config: SyslogInputConfig, outbox: RecordSink): Promise<SyslogInput> {
    const listeners: Listener[] = [];
    const input = new SyslogInput(config, outbox, listeners);
    const counted: RecordSink = {
      accept: async (records: RawRecord[]) => {
        await outbox.accept(records);
        input.lines += records.length;
      },
      pressure: () => outbox.pressure(),
    };
    // Every message is bound to the input itself (no per-sender routing, no rate limit): the SOC binds the agent's token to a source.
    const routing: RoutingOptions = { limiter: new RateLimiter() };
    try {
      for (const protocol of config.protocols) {
        const listenerConfig = resolveListenerConfig({
          name: config.name,
          protocol,
          host: config.bind,
          port: config.port,
          tenant: '',
          source: config.name,
          format: config.format,
          charset: config.charset,
          timezone: config.timezone,
          maxMessageBytes: config.max_message_bytes,
        });
        listeners.push(await (protocol === 'udp' ? startUdpListener : startTcpListener)(listenerConfig, counted, routing));
      }
    } catch (err) {
      await Promise.all(listeners.map((l) => l.close()));
      throw err;
    }
    return input;
  }

  get name(): string {
    return this.config.name;
  }

  /** Stops receiving; what was received is in the outbox when this resolves. */
  async close(): Promise<void> {
    await Promise.all(this.listeners.map((l) => l.close()));
  }

  async status(): Promise<SyslogInputStatus> {
    return {
      name: this.config.name,
      type: 'syslog',
      listening: this.listeners.map((l, i) => ({ protocol: this.config.protocols[i], ...l.address() })),
      lines: this.lines,
      udpDropped: await udpDrops(this.config.name),
      pushingBack: this.sink.pressure(),
    };
  }
}

/** The listener's own drop counter (kept by the shared collect metrics). */
async function udpDrops(listener: string): Promise<number> {
  const metric = registry.getSingleMetric('mamori_collect_udp_dropped_total');
  if (!metric) return 0;
  const { values } = await metric.get();
  let total = 0;
  for (const v of values) if (v.labels.listener === listener) total += v.value;
  return total;
}
