import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { configTemplate } from '../../config/template.js';

export function registerInitCommand(program: Command): void {
  program
    .command('init [file]')
    .description('Write a commented default configuration (mamori.yaml)')
    .option('--force', 'overwrite an existing file')
    .action((file: string | undefined, o: { force?: boolean }) => {
      const target = file ?? 'mamori.yaml';
      if (existsSync(target) && !o.force) {
        throw new Error(`${target} exists: pass --force to overwrite it`);
      }
      writeFileSync(target, configTemplate(), { mode: 0o600 });
      process.stdout.write(`wrote ${target}; start with: mamori serve --config ${target}\n`);
    });
}
