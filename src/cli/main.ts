import { Command, Option } from 'commander';
import { MamoriError } from '../core/errors.js';
import { VERSION } from '../server/version.js';
import { ApiError } from './client.js';
import { registerAdminCommands } from './commands/admin.js';
import { registerAgentCommand } from './commands/agent.js';
import { registerAlertsCommand } from './commands/alerts.js';
import { registerBenchCommand } from './commands/bench.js';
import { registerIngestCommand } from './commands/ingest-file.js';
import { registerInitCommand } from './commands/init.js';
import { registerLoginCommand } from './commands/login.js';
import { registerParseCommand } from './commands/parse.js';
import { registerRulesCommand } from './commands/rules.js';
import { registerSearchCommand } from './commands/search.js';
import { registerServeCommand } from './commands/serve.js';

/** Options of every command that talks to a running server. */
function withClientOptions(command: Command): Command {
  return command
    .option('--server <url>', 'Mamori server URL (default: from the config, or http://127.0.0.1:8080)')
    .option('--config <file>', 'configuration file to read the server URL and data directory from')
    .addOption(new Option('--json', 'machine-readable output (NDJSON / one JSON object)'));
}

const program = new Command();
program.name('mamori').description('Mamori: multi-tenant security monitoring for SOCs').version(VERSION).showHelpAfterError();

registerServeCommand(program);
registerInitCommand(program);
registerParseCommand(program);
registerRulesCommand(program);
registerIngestCommand(program, withClientOptions);
registerSearchCommand(program, withClientOptions);
registerAlertsCommand(program, withClientOptions);
registerAdminCommands(program, withClientOptions);
registerLoginCommand(program, withClientOptions);
registerBenchCommand(program);
registerAgentCommand(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof ApiError || err instanceof MamoriError) {
    process.stderr.write(`mamori: ${err.message}\n`);
  } else {
    process.stderr.write(`mamori: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  process.exitCode = 1;
});
