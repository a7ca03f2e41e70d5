import dgram from 'node:dgram';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordSink } from '../collect/sink.js';
import type { RawRecord } from '../core/raw-record.js';
import type { SyslogInputConfig } from './config.js';
import { SyslogInput } from './syslog-input.js';

class MemorySink implements RecordSink {
  records: RawRecord[] = [];
  full = false;
  async accept(records: RawRecord[]): Promise<void> {
    this.records.push(...records);
  }
  pressure(): boolean {
    return this.full;
  }
}

const inputs: SyslogInput[] = [];
afterEach(async () => {
  await Promise.all(inputs.splice(0).map((i) => i.close()));
});

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 10));
  expect(await check()).toBe(true);
}

let seq = 0;
async function start(sink: MemorySink): Promise<SyslogInput> {
  const config: SyslogInputConfig = {
    name: `local-syslog-${++seq}`,
    type: 'syslog',
    protocols: ['udp', 'tcp'],
    bind: '127.0.0.1',
    port: 0,
    format: 'rfc3164',
    charset: 'shift_jis',
    timezone: 'Asia/Tokyo',
    max_message_bytes: 1024,
  };
  const input = await SyslogInput.start(config, sink);
  inputs.push(input);
  return input;
}

describe('SyslogInput (agent)', () => {
  it('receives local syslog over UDP and TCP into the outbox, with the input\'s settings', async () => {
    const sink = new MemorySink();
    const input = await start(sink);
    const status = await input.status();
    const udpPort = status.listening.find((l) => l.protocol === 'udp')!.port;
    const tcpPort = status.listening.find((l) => l.protocol === 'tcp')!.port;

    const udp = dgram.createSocket('udp4');
    // "ログイン" in Shift_JIS: decoded with the input's charset.
    const sjis = Buffer.from([0x83, 0x8d, 0x83, 0x4f, 0x83, 0x43, 0x83, 0x93]);
    await new Promise<void>((resolve, reject) => udp.send(Buffer.concat([Buffer.from('<13>May  1 10:00:00 fw1 app: '), sjis]), udpPort, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
    udp.close();
    const tcp = net.connect(tcpPort, '127.0.0.1');
    await new Promise((r) => tcp.once('connect', r));
    tcp.end('<13>May  1 10:00:01 fw2 app: over tcp\n');

    await until(() => sink.records.length === 2);
    const byHost = Object.fromEntries(sink.records.map((r) => [r.data.split(' ')[4], r]));
    expect(byHost.fw1).toMatchObject({ source: input.name, format: 'rfc3164', timezone: 'Asia/Tokyo', data: '<13>May  1 10:00:00 fw1 app: ログイン' });
    expect(byHost.fw2.data).toBe('<13>May  1 10:00:01 fw2 app: over tcp');
    expect((await input.status()).lines).toBe(2);
  });

  it('drops and counts UDP datagrams while the outbox is over its cap', async () => {
    const sink = new MemorySink();
    const input = await start(sink);
    sink.full = true;
    const udpPort = (await input.status()).listening.find((l) => l.protocol === 'udp')!.port;
    const udp = dgram.createSocket('udp4');
    for (let i = 0; i < 3; i++) await new Promise<void>((resolve, reject) => udp.send(`<13>dropped ${i}`, udpPort, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
    udp.close();
    await until(async () => (await input.status()).udpDropped === 3);
    expect(sink.records).toHaveLength(0);
    expect((await input.status()).pushingBack).toBe(true);
  });
});
