import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { startAgent } from '../../agent/agent.js';
import { DEFAULT_AGENT_CONFIG_FILE, loadAgentConfig } from '../../agent/config.js';
import { formatStatus, readStatus } from '../../agent/status.js';
import { agentConfigTemplate } from '../../agent/template.js';
import { printJson, sanitize } from '../output.js';

/**
 * `mamori agent`: the on-site forwarder (docs/agent.md). `run` (the default)
 * follows files and local syslog and forwards to the SOC; `init` writes a
 * commented configuration; `status` reads the running agent's status file.
 */
export function registerAgentCommand(program: Command): void {
  const agent = program.command('agent').description('On-site forwarder: tail files and local syslog, forward to the SOC over TLS (docs/agent.md)');

  agent
    .command('run', { isDefault: true })
    .description('Run the agent (default)')
    .option('--config <file>', 'agent configuration', DEFAULT_AGENT_CONFIG_FILE)
    .action(async (o: { config: string }) => {
      const config = loadAgentConfig(o.config);
      const log = (message: string) => process.stderr.write(`${new Date().toISOString()} mamori-agent: ${sanitize(message)}\n`);
      const running = await startAgent(config, log);
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) return;
        stopping = true;
        log(`${signal}: stopping`);
        running.stop().then(
          () => process.exit(0),
          (err: unknown) => {
            log(`stop failed: ${(err as Error).message}`);
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', () => shutdown('SIGINT'));
      process.on('SIGTERM', () => shutdown('SIGTERM'));
    });

  agent
    .command('init [file]')
    .description(`Write a commented agent configuration (default ${DEFAULT_AGENT_CONFIG_FILE})`)
    .option('--force', 'overwrite an existing file')
    .action((file: string | undefined, o: { force?: boolean }) => {
      const target = file ?? DEFAULT_AGENT_CONFIG_FILE;
      if (existsSync(target) && !o.force) throw new Error(`${target} exists: pass --force to overwrite it`);
      // 0600: the file holds the ingest token.
      writeFileSync(target, agentConfigTemplate(), { mode: 0o600 });
      process.stdout.write(`wrote ${target}; set server, token and inputs, then start with: mamori agent --config ${target}\n`);
    });

  agent
    .command('status')
    .description('Show the agent state: buffer depth, last successful send, errors')
    .option('--config <file>', 'agent configuration', DEFAULT_AGENT_CONFIG_FILE)
    .option('--json', 'one JSON object')
    .action((o: { config: string; json?: boolean }) => {
      const config = loadAgentConfig(o.config);
      const reading = readStatus(config.data_dir);
      if (o.json) printJson(reading.state === 'missing' ? { state: 'missing' } : { state: reading.state, ...reading.status });
      else process.stdout.write(formatStatus(reading).split('\n').map(sanitize).join('\n'));
      // Scripts and monitoring can tell a stopped agent by the exit code.
      if (reading.state !== 'running') process.exitCode = 3;
    });
}
