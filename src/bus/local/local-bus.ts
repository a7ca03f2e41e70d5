import { mkdir, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { MamoriError } from '../../core/errors.js';
import type { Bus, BusConsumer } from '../bus.js';
import { lockDir } from './dir-lock.js';
import { syncDir } from './durable-fs.js';
import { LocalConsumer } from './local-consumer.js';
import { TopicLog, busError, closedError, type TopicLogOptions, type TopicStats } from './topic-log.js';

export interface LocalBusOptions {
  /** A topic starts a new segment file once the current one holds this many bytes (default 64 MiB). */
  segmentBytes?: number;
  /**
   * How long an idle topic waits before writing, so that appends arriving
   * meanwhile share one fsync (default 0: those of the same event-loop turn,
   * plus every append that arrives while an fsync is in flight).
   */
  fsyncIntervalMs?: number;
  /** Fully consumed segments kept per topic for investigation (default 1). */
  retainSegments?: number;
}

export type { TopicStats } from './topic-log.js';

/** Topic and group names become file names: no separators, no leading dot. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const DEFAULTS: TopicLogOptions = { segmentBytes: 64 * 1024 * 1024, fsyncIntervalMs: 0, retainSegments: 1 };

/**
 * The embedded bus: a durable append-only log per topic under one
 * directory, `<dir>/<topic>/` holding segment files and one offset file per
 * consumer group. One process owns the directory at a time.
 */
export class LocalBus implements Bus {
  private readonly topics = new Map<string, Promise<TopicLog>>();
  private readonly opened = new Map<string, TopicLog>();
  private readonly consumers = new Map<string, LocalConsumer>();
  private closing: Promise<void> | null = null;

  private constructor(
    readonly dir: string,
    private readonly options: TopicLogOptions,
    private readonly unlock: () => Promise<void>,
  ) {}

  static async open(dir: string, options: LocalBusOptions = {}): Promise<LocalBus> {
    const settings = validateOptions(options);
    if ((await mkdir(dir, { recursive: true })) !== undefined) await syncDir(dirname(dir));
    const unlock = await lockDir(dir);
    const bus = new LocalBus(dir, settings, unlock);
    try {
      const entries = await readdir(dir, { withFileTypes: true });
      for (const entry of entries) {
        if (entry.isDirectory() && NAME.test(entry.name)) await bus.topic(entry.name);
      }
    } catch (err) {
      await bus.close().catch(() => undefined);
      throw err;
    }
    return bus;
  }

  append(topic: string, messages: Buffer[]): Promise<number> {
    if (this.closing) return Promise.reject(closedError());
    if (!Array.isArray(messages)) return Promise.reject(new MamoriError('MAMORI_E_INVALID', 'bus append takes an array of Buffers'));
    const open = this.opened.get(topic);
    if (open) return open.append(messages);
    try {
      return this.topic(topic).then((log) => log.append(messages));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  consumer(topic: string, group: string): BusConsumer {
    if (this.closing) throw closedError();
    const key = `${topic}/${group}`;
    let consumer = this.consumers.get(key);
    if (!consumer) {
      checkName('consumer group', group);
      consumer = new LocalConsumer(this.opened.get(topic) ?? this.topic(topic), topic, group);
      this.consumers.set(key, consumer);
    }
    return consumer;
  }

  /** Per topic: offsets, disk use, damage seen and every consumer group's ack and lag; for /metrics. */
  stats(): Record<string, TopicStats> {
    const out: Record<string, TopicStats> = {};
    for (const [topic, log] of this.opened) out[topic] = log.stats();
    return out;
  }

  /** Finishes accepted appends and in-flight acks, resolves waiting reads with [], closes every file. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const logs = (await Promise.allSettled(this.topics.values())).flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    for (const consumer of this.consumers.values()) consumer.markClosed();
    for (const log of logs) log.beginClose();
    await Promise.all([...this.consumers.values()].map((consumer) => consumer.close()));
    await Promise.all(logs.map((log) => log.finishClose()));
    await this.unlock();
  }

  /** The topic's log, opened on first use; throws for a name that cannot be a topic. */
  private topic(name: string): Promise<TopicLog> {
    let log = this.topics.get(name);
    if (!log) {
      checkName('topic', name);
      // A topic that fails to open (a damaged offset file) stays failed until the bus is reopened.
      log = TopicLog.open(name, join(this.dir, name), this.options).catch((err: unknown) => {
        throw busError(err, `opening bus topic ${name}`);
      });
      this.topics.set(name, log);
      log.then(
        (opened) => this.opened.set(name, opened),
        () => undefined,
      );
    }
    return log;
  }
}

function checkName(kind: string, name: string): void {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new MamoriError('MAMORI_E_INVALID', `bus ${kind} name must be 1-128 letters, digits, '.', '_' or '-', not starting with '.', '_' or '-'; got ${JSON.stringify(name)}`);
  }
}

function validateOptions(options: LocalBusOptions): TopicLogOptions {
  const settings = { ...DEFAULTS };
  for (const key of Object.keys(options) as Array<keyof LocalBusOptions>) {
    const value = options[key];
    if (value === undefined) continue;
    if (!(key in DEFAULTS)) throw new MamoriError('MAMORI_E_CONFIG', `unknown local bus option ${key}`);
    const min = key === 'segmentBytes' ? 1 : 0;
    if (!Number.isSafeInteger(value) || value < min) {
      throw new MamoriError('MAMORI_E_CONFIG', `local bus option ${key} must be an integer of ${min} or more, got ${value}`);
    }
    settings[key] = value;
  }
  return settings;
}
