import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { MamoriEvent } from '../core/event.js';
import { normalise } from './normalise.js';
import { isoFromMs, parseIso } from './time.js';

/** Real Zeek JSON logs (shared fixtures, never copied here): `<log>.json.gz`, one record per line. */
const FOLDER = join(import.meta.dirname, '../../../shared/fixtures/zeek');
const required = process.env.MAMORI_CONFORMANCE === 'required';
const present = existsSync(FOLDER);
const files = present ? readdirSync(FOLDER).filter((f) => f.endsWith('.json.gz')).sort() : [];

type Record = { [key: string]: unknown };

function tsIso(ts: unknown): string {
  return isoFromMs(typeof ts === 'number' ? Math.floor(ts * 1000) : parseIso(String(ts), 'UTC'));
}

const TLS_VERSIONS: { [zeek: string]: string } = { SSLv2: '2.0', SSLv3: '3.0', TLSv10: '1.0', TLSv11: '1.1', TLSv12: '1.2', TLSv13: '1.3' };

/** The ECS fields a record's own members must produce, per log. */
const KEY_FIELDS: { [log: string]: (r: Record, e: MamoriEvent) => void } = {
  dns: (r, e) => {
    // Zeek logs an empty query for malformed requests; empty strings have no ECS value.
    expect(e['dns.question.name']).toBe(r.query === '' ? undefined : r.query);
    expect(e['dns.question.type']).toBe(r.qtype_name);
    expect(e['dns.response_code']).toBe(r.rcode_name);
    expect(e['dns.id']).toBe(String(r.trans_id));
    const answers = (r.answers as string[] | undefined) ?? [];
    expect((e['dns.answers'] as { data: string }[] | undefined)?.map((a) => a.data) ?? []).toEqual(answers);
  },
  ssl: (r, e) => {
    const version = r.version as string | undefined;
    if (version !== undefined) expect(e['tls.version'], version).toBe(TLS_VERSIONS[version]);
    expect(e['tls.cipher']).toBe(r.cipher);
    expect(e['tls.client.server_name']).toBe(r.server_name);
    expect(e['tls.established']).toBe(r.established);
    expect(e['zeek.ssl.validation_status']).toBe(r.validation_status);
    expect(e['event.outcome']).toBe(r.established ? 'success' : 'failure');
  },
  notice: (r, e) => {
    expect(e['event.kind']).toBe('alert');
    expect(e['rule.name']).toBe(r.note);
    expect(e.message).toBe(r.msg);
    expect(e['zeek.notice.sub']).toBe(r.sub);
    expect(e['zeek.notice.actions']).toEqual(r.actions);
  },
  weird: (r, e) => {
    expect(e['rule.name']).toBe(r.name);
    expect(e['zeek.weird.peer']).toBe(r.peer);
  },
  x509: (r, e) => {
    expect(e['x509.serial_number']).toBe(r['certificate.serial']);
    expect(e['x509.version_number']).toBe(String(r['certificate.version']));
    expect(e['x509.subject.distinguished_name']).toBe(r['certificate.subject']);
    expect(e['x509.issuer.distinguished_name']).toBe(r['certificate.issuer']);
    expect(e['x509.not_before']).toBe(tsIso(r['certificate.not_valid_before']));
    expect(e['x509.not_after']).toBe(tsIso(r['certificate.not_valid_after']));
    expect(e['x509.public_key_size']).toBe(r['certificate.key_length']);
    expect(e['x509.signature_algorithm']).toBe(r['certificate.sig_alg']);
    if (r['san.dns'] !== undefined) expect(e['x509.alternative_names']).toEqual(expect.arrayContaining(r['san.dns'] as string[]));
    const cn = /(?:^|,)CN=((?:[^,\\]|\\.)*)/.exec(String(r['certificate.subject']));
    if (cn) expect(e['x509.subject.common_name']).toContain(cn[1].replace(/\\(.)/g, '$1'));
  },
  smtp: (r, e) => {
    expect(e['email.sender.address']).toBe(typeof r.mailfrom === 'string' ? r.mailfrom.replace(/^<|>$/g, '') || undefined : undefined);
    expect(e['zeek.smtp.helo']).toBe(r.helo);
    expect(e['zeek.smtp.last_reply']).toBe(r.last_reply);
  },
  ssh: (r, e) => {
    expect(e['zeek.ssh.client']).toBe(r.client);
    expect(e['zeek.ssh.server']).toBe(r.server);
    expect(e['event.outcome']).toBe(r.auth_success === undefined ? undefined : r.auth_success ? 'success' : 'failure');
  },
};

describe('zeek conformance: real JSON logs', () => {
  it.runIf(!present && required)('has its fixture folder', () => {
    expect.fail(`MAMORI_CONFORMANCE=required but ${FOLDER} is missing`);
  });

  it.runIf(present && required)('has fixture files', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    it(`maps every record of ${file}`, () => {
      const lines = gunzipSync(readFileSync(join(FOLDER, file))).toString('utf8').split('\n').filter((l) => l.length > 0);
      expect(lines.length).toBeGreaterThan(0);
      const counts = new Map<string, number>();
      for (const line of lines) {
        const r = JSON.parse(line) as Record;
        const e = normalise({ id: 'e', tenant: 't', source: 's', format: 'zeek', received: Date.UTC(2024, 4, 1), data: line });
        expect(e['error.message'], line).toBeUndefined();
        expect(e['event.kind']).not.toBe('pipeline_error');
        const log = String(r._path);
        expect(e['event.dataset']).toBe(`zeek.${log}`);
        expect(e['@timestamp'], line).toBe(tsIso(r.ts));
        expect(e['zeek.session_id']).toBe(r.uid);
        expect(e['source.ip']).toBe(r['id.orig_h']);
        expect(e['source.port']).toBe(r['id.orig_p']);
        expect(e['destination.ip']).toBe(r['id.resp_h']);
        expect(e['destination.port']).toBe(r['id.resp_p']);
        if (r.proto !== undefined) expect(e['network.transport']).toBe(r.proto);
        KEY_FIELDS[log]?.(r, e);
        counts.set(log, (counts.get(log) ?? 0) + 1);
      }
      console.log(`zeek conformance ${file}: ${[...counts].map(([log, n]) => `${n} ${log}`).join(', ')}`);
    });
  }
});
