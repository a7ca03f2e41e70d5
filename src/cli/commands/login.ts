import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { ApiClient, saveToken, type ClientOptions } from '../client.js';

/** `mamori login`: exchanges a login and password for an API token saved for that server. */
export function registerLoginCommand(program: Command, withClientOptions: (c: Command) => Command): void {
  withClientOptions(
    program
      .command('login')
      .description('Sign in and save an API token for the CLI (~/.config/mamori/credentials.json)')
      .option('--user <login>', 'login name')
      .option('--password-stdin', 'read the password from standard input'),
  ).action(async (o: ClientOptions & { user?: string; passwordStdin?: boolean }) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY });
    const login = o.user ?? (await rl.question('login: '));
    let password: string;
    if (o.passwordStdin || !process.stdin.isTTY) {
      password = (await rl[Symbol.asyncIterator]().next()).value ?? '';
    } else {
      process.stderr.write('password: ');
      password = await readHidden();
    }
    rl.close();
    const client = new ApiClient({ ...o }, { ...process.env, MAMORI_TOKEN: '' });
    const { token } = await client.post<{ token: string }>('/api/v1/auth/token', { login, password, name: 'cli' });
    const file = saveToken(client.server, token);
    process.stdout.write(`signed in to ${client.server} as ${login}; token saved in ${file}\n`);
  });
}

/** Reads a line from a TTY without echoing it. */
function readHidden(): Promise<string> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    stdin.setRawMode(true);
    stdin.resume();
    let value = '';
    const onData = (data: Buffer) => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          resolve(value);
          return;
        }
        if (ch === '\u0003') process.exit(130);
        if (ch === '\u007f') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
