import https from 'node:https';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type IssuedCertificate } from '../support/certificates.js';
import { cli, eventually, freePort, startServer, type TestServer } from '../support/server.js';

// End to end: a SOC's central syslog-over-TLS listener with mutual TLS,
// devices of two customers recognised by their client certificates, a rate
// limit on one of them, and the API and CLI over HTTPS.
const pki = createTestPki();
const serverCert = pki.issue('soc.example');
const fw01 = pki.issue('fw01.customer-a.example');
const fw02 = pki.issue('fw02.customer-b.example');
const stranger = pki.issue('not-a-customer.example');
let server: TestServer;
let tlsPort: number;

beforeAll(async () => {
  tlsPort = await freePort();
  const tlsFiles = (clientAuth: string) =>
    `    cert_file: ${JSON.stringify(serverCert.certFile)}\n    key_file: ${JSON.stringify(serverCert.keyFile)}\n    ca_file: ${JSON.stringify(pki.caFile)}\n    client_auth: ${clientAuth}\n`;
  server = await startServer(
    // Appended to the default listener list of the test config.
    `    - name: central-tls\n      protocols: [tls]\n      port: ${tlsPort}\n      format: rfc5424\n      bind_by: [certificate]\n      tls:\n` +
      tlsFiles('require').replace(/^ {4}/gm, '        ') +
      `http_tls:\n${tlsFiles('none')}`,
    { ca: pki.ca },
  );
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

const env = () => ({ MAMORI_SERVER: server.url, MAMORI_TOKEN: server.adminToken, NODE_EXTRA_CA_CERTS: pki.caFile });

/** Opens a TLS connection as a device with its certificate and sends octet-counted syslog messages. */
async function sendAsDevice(device: IssuedCertificate, messages: string[]): Promise<void> {
  const socket = tls.connect({ host: '127.0.0.1', port: tlsPort, ca: pki.ca, servername: 'localhost', cert: device.cert, key: device.key });
  await new Promise<void>((resolve, reject) => {
    socket.once('secureConnect', resolve);
    socket.once('error', reject);
  });
  socket.write(messages.map((m) => `${Buffer.byteLength(m)} ${m}`).join(''));
  await new Promise<void>((resolve) => socket.end(resolve));
}

function metrics(): Promise<string> {
  return new Promise((resolve, reject) => {
    https
      .get(`${server.url}/metrics`, { ca: pki.ca, headers: { authorization: `Bearer ${server.adminToken}` } }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve(text));
      })
      .on('error', reject);
  });
}

async function countFor(tenant: string, q: string): Promise<number> {
  const r = await cli(['search', '--tenant', tenant, '--since', '2d', '--to', 'now+1d', q, '--count'], env());
  expect(r.stderr).toBe('');
  return Number(r.stdout.trim());
}

describe('syslog over mutual TLS with sources bound by client certificate', () => {
  it('stores each device\'s lines in its customer\'s tenant, limits the noisy one, and refuses unknown devices', async () => {
    for (const tenant of ['customer-a', 'customer-b']) {
      const r = await cli(['tenants', 'add', tenant, '--name', tenant], env());
      expect(r.stderr).toBe('');
    }
    let r = await cli(['sources', 'add', '--tenant', 'customer-a', '--format', 'rfc5424', '--match-cert', 'fw01.customer-a.example', '--json'], env());
    expect(JSON.parse(r.stdout)).toMatchObject({ tenant_id: 'customer-a', match_cert: 'fw01.customer-a.example', rate_limit_eps: null });
    r = await cli(['sources', 'add', '--tenant', 'customer-b', '--format', 'rfc5424', '--match-cert', 'fw02.customer-b.example', '--rate-limit', '5', '--json'], env());
    expect(JSON.parse(r.stdout)).toMatchObject({ tenant_id: 'customer-b', rate_limit_eps: 5 });

    const line = (host: string, i: number) => `<134>1 ${new Date().toISOString()} ${host} fw - - - mtls-e2e ${host} ${i}`;
    await sendAsDevice(fw01, Array.from({ length: 3 }, (_, i) => line('fw01', i)));
    await sendAsDevice(fw02, Array.from({ length: 40 }, (_, i) => line('fw02', i)));
    await sendAsDevice(stranger, [line('stranger', 0)]);

    await eventually(async () => (await countFor('customer-a', 'mtls-e2e')) === 3, 30_000, 'customer-a lines');
    await eventually(async () => /mamori_collect_dropped_total\{listener="central-tls",reason="rate_limit"\} \d+/.test(await metrics()), 10_000, 'rate limit counter');
    const text = await metrics();
    const limited = Number(/mamori_collect_dropped_total\{listener="central-tls",reason="rate_limit"\} (\d+)/.exec(text)![1]);
    const unbound = Number(/mamori_collect_dropped_total\{listener="central-tls",reason="unbound"\} (\d+)/.exec(text)![1]);
    expect(unbound).toBe(1);
    await eventually(async () => (await countFor('customer-b', 'mtls-e2e')) === 40 - limited, 30_000, 'customer-b lines');
    expect(limited).toBeGreaterThanOrEqual(28);
    // Nothing crossed tenants, and the unknown device's line is nowhere.
    expect(await countFor('customer-a', 'host.name:fw02')).toBe(0);
    expect(await countFor('customer-b', 'host.name:fw01')).toBe(0);
    expect(await countFor('demo', 'stranger')).toBe(0);
  });

  it('refuses a device without a client certificate at the handshake', async () => {
    const socket = tls.connect({ host: '127.0.0.1', port: tlsPort, ca: pki.ca, servername: 'localhost' });
    const outcome = await new Promise<string>((resolve) => {
      socket.once('error', (err) => resolve(`error: ${err.message}`));
      socket.once('close', () => resolve('closed'));
      socket.once('secureConnect', () => socket.write('20 <13>1 - - - - - - x'));
      setTimeout(() => resolve('still open'), 5_000);
    });
    socket.destroy();
    expect(outcome).not.toBe('still open');
  });
});
