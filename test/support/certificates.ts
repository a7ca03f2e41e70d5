import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** PEM files (paths and contents) of a throwaway certificate. */
export interface IssuedCertificate {
  certFile: string;
  keyFile: string;
  cert: string;
  key: string;
}

export interface TestPki {
  dir: string;
  caFile: string;
  ca: string;
  /** A certificate for `cn`, signed by the test CA, valid for 127.0.0.1 and localhost. */
  issue(cn: string): IssuedCertificate;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * A throwaway CA in a temp directory, made with the `openssl` CLI, for TLS
 * and mutual TLS tests on loopback. EC keys keep generation fast.
 */
export function createTestPki(): TestPki {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mamori-pki-'));
  const ecKey = (file: string) => openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file], dir);
  ecKey('ca.key');
  openssl(['req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=Mamori Test CA', '-days', '2', '-out', 'ca.pem'], dir);
  let serial = 1;
  return {
    dir,
    caFile: path.join(dir, 'ca.pem'),
    ca: readFileSync(path.join(dir, 'ca.pem'), 'utf8'),
    issue(cn: string): IssuedCertificate {
      const name = `cert-${serial}`;
      ecKey(`${name}.key`);
      openssl(['req', '-new', '-key', `${name}.key`, '-subj', `/CN=${cn}`, '-out', `${name}.csr`], dir);
      writeFileSync(path.join(dir, `${name}.ext`), `subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n`);
      openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', String(serial++), '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.pem`], dir);
      const certFile = path.join(dir, `${name}.pem`);
      const keyFile = path.join(dir, `${name}.key`);
      return { certFile, keyFile, cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
    },
  };
}
