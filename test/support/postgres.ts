/**
 * Starts a throwaway PostgreSQL server for tests: a fresh cluster in a temp
 * directory, listening on a free 127.0.0.1 port with its unix socket inside
 * that directory, removed again by stop().
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface RunningPostgres {
  /** Connection URL of the `postgres` database, superuser `mamori`, no password. */
  url: string;
  stop(): Promise<void>;
}

/** Set by CI: a missing PostgreSQL fails the suite instead of skipping it. */
export const POSTGRES_REQUIRED = process.env.MAMORI_POSTGRES_TESTS === 'required';
export const POSTGRES_MISSING_MESSAGE =
  'PostgreSQL binaries (initdb, pg_ctl) not found on PATH or in /usr/lib/postgresql/*/bin: ' +
  'install postgresql (apt-get install postgresql) to run the PostgreSQL tests';

const STARTUP_TIMEOUT_S = 30;
const CONNECT_TIMEOUT_MS = 30_000;
const SUPERUSER = 'mamori';
/** Unprivileged account that runs the server when we are root (initdb refuses root). */
const SERVICE_USER = 'postgres';

/** The directory holding initdb and pg_ctl, newest version first; undefined when none is installed. */
export function findPostgresBin(): string | undefined {
  const onPath = (process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== '');
  const versioned = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => `/usr/lib/postgresql/${v}/bin`)
    : [];
  return [...onPath, ...versioned].find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
}

export async function startPostgres(): Promise<RunningPostgres> {
  const bin = findPostgresBin();
  if (bin === undefined) throw new Error(POSTGRES_MISSING_MESSAGE);
  const asRoot = process.getuid?.() === 0;
  const exec = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', SERVICE_USER, '--', join(bin, tool), ...args]) : run(join(bin, tool), args);

  const root = mkdtempSync(join(tmpdir(), 'mamori-pg-'));
  const data = join(root, 'data');
  let postmasterPid: number | undefined;
  const killOnExit = () => {
    // SIGQUIT: immediate shutdown, so a crashed test run leaves no server behind.
    if (postmasterPid !== undefined) killQuietly(postmasterPid);
  };
  try {
    if (asRoot) await chownTree(root);
    await exec('initdb', ['-D', data, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync']);
    const port = await freeLoopbackPort();
    const serverOptions = `-c listen_addresses=127.0.0.1 -p ${port} -k ${root} -c fsync=off -c full_page_writes=off`;
    await exec('pg_ctl', ['-D', data, '-l', join(root, 'server.log'), '-o', serverOptions, '-w', '-t', String(STARTUP_TIMEOUT_S), 'start']);
    postmasterPid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.once('exit', killOnExit);
    const url = `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`;
    await waitForConnections(url);
    return {
      url,
      async stop() {
        process.off('exit', killOnExit);
        try {
          await exec('pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', String(STARTUP_TIMEOUT_S), 'stop']);
        } catch {
          if (postmasterPid !== undefined) killQuietly(postmasterPid);
        }
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    process.off('exit', killOnExit);
    if (postmasterPid !== undefined) killQuietly(postmasterPid);
    const log = join(root, 'server.log');
    const detail = existsSync(log) ? `\n${readFileSync(log, 'utf8')}` : '';
    rmSync(root, { recursive: true, force: true });
    throw new Error(`cannot start PostgreSQL: ${(error as Error).message}${detail}`);
  }
}

async function chownTree(dir: string): Promise<void> {
  const { stdout: uid } = await run('id', ['-u', SERVICE_USER]);
  const { stdout: gid } = await run('id', ['-g', SERVICE_USER]);
  chownSync(dir, Number(uid), Number(gid));
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** pg_ctl -w already waited; this proves a client can log in, bounded by CONNECT_TIMEOUT_MS. */
async function waitForConnections(url: string): Promise<void> {
  const deadline = Date.now() + CONNECT_TIMEOUT_MS;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('select 1');
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await client.end().catch(() => {});
    }
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGQUIT');
  } catch {
    // Already gone.
  }
}
