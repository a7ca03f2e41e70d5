import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { newSecret } from '../core/ids.js';
import { ALL_TENANTS } from '../core/scope.js';
import { hashPassword, API_TOKEN_PREFIX, INGEST_TOKEN_PREFIX } from '../api/services/auth.service.js';
import { secretDigest, secretHint } from '../store/state/secret-digest.js';
import type { StateStore } from '../store/state/state-store.js';

export interface BootstrapResult {
  adminLogin: string;
  /** Only on the very first start. */
  adminPassword?: string;
  adminTokenFile: string;
  demoIngestToken?: string;
}

const BOOTSTRAPPED = 'bootstrapped_at';
export const ADMIN_TOKEN_FILE = 'admin.token';

/**
 * First start of an installation: the platform admin account (password
 * printed once), a bootstrap admin API token in <data>/admin.token (mode
 * 0600) for scripts and the CLI, and, with `demo`, the demo tenant and an
 * ingest source whose token is printed once. Later starts change nothing.
 */
export async function bootstrap(state: StateStore, dataDir: string, demo: boolean, env = process.env): Promise<BootstrapResult> {
  const adminTokenFile = path.join(dataDir, ADMIN_TOKEN_FILE);
  if (await state.meta.get(BOOTSTRAPPED)) return { adminLogin: 'admin', adminTokenFile };
  const adminPassword = env.MAMORI_ADMIN_PASSWORD || newSecret('', 15);
  const passwordHash = await hashPassword(adminPassword);
  const adminToken = newSecret(API_TOKEN_PREFIX, 32);
  const ingestToken = newSecret(INGEST_TOKEN_PREFIX, 32);
  await state.transaction(async (tx) => {
    const admin = await tx.users.create({ login: 'admin', displayName: 'Platform administrator', passwordHash, role: 'platform_admin', tenantId: null });
    await tx.tokens.create({ userId: admin.id, name: 'bootstrap', tokenHash: secretDigest(adminToken), tokenHint: secretHint(adminToken) });
    await tx.audit.append({ actorLogin: 'system', action: 'install.bootstrap', targetType: 'installation', details: { demo } });
    if (demo && !(await tx.tenants.get(ALL_TENANTS, 'demo'))) {
      await tx.tenants.create({ id: 'demo', name: 'Demo Corporation', language: 'ja' });
      await tx.sources.create({
        tenantId: 'demo',
        name: 'demo-http',
        format: 'auto',
        tokenHash: secretDigest(ingestToken),
        tokenHint: secretHint(ingestToken),
      });
    }
    await tx.meta.set(BOOTSTRAPPED, new Date().toISOString());
  });
  writeFileSync(adminTokenFile, adminToken + '\n', { mode: 0o600 });
  return { adminLogin: 'admin', adminPassword, adminTokenFile, demoIngestToken: demo ? ingestToken : undefined };
}
