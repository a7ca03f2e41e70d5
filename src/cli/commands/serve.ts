import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../../config/config.js';
import { startRuntime } from '../../server/runtime.js';

interface ServeOpts {
  config?: string;
  data?: string;
  bind?: string;
  httpPort?: string;
  syslogPort?: string;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Run Mamori (embedded stores in the data directory)')
    .option('--config <file>', 'configuration file (default: ./mamori.yaml when present)')
    .option('--data <dir>', 'data directory (overrides data_dir)')
    .option('--bind <address>', 'address to listen on (overrides bind)')
    .option('--http-port <port>', 'web portal / API port (overrides http_port)')
    .option('--syslog-port <port>', 'port of the first syslog listener, UDP and TCP')
    .action(async (o: ServeOpts) => {
      const file = o.config ?? (existsSync('mamori.yaml') ? 'mamori.yaml' : undefined);
      const config = loadConfig(file, {
        dataDir: o.data,
        bind: o.bind,
        httpPort: o.httpPort === undefined ? undefined : port(o.httpPort, '--http-port'),
        syslogPort: o.syslogPort === undefined ? undefined : port(o.syslogPort, '--syslog-port'),
      });
      const runtime = await startRuntime(config);
      const { boot } = runtime;
      const out = (s: string) => process.stdout.write(s + '\n');
      out(`Mamori is running (data: ${config.data_dir})`);
      out(`  web portal and REST API: ${runtime.httpUrl}/   (OpenAPI: ${runtime.httpUrl}/api/v1/openapi.json)`);
      for (const { protocol, listener } of runtime.listeners) {
        const a = listener.address();
        out(`  syslog ${protocol.toUpperCase()} ${a.host}:${a.port} (listener ${listener.name})`);
      }
      if (boot.adminPassword) {
        out('');
        out('First start: created the platform administrator. Shown this once:');
        out(`  login:    ${boot.adminLogin}`);
        out(`  password: ${boot.adminPassword}`);
        out(`  admin API token for scripts and the CLI: ${boot.adminTokenFile} (mode 0600)`);
        if (boot.demoIngestToken) {
          out('  demo tenant "demo" with HTTP ingest source "demo-http"; its ingest token (shown once):');
          out(`    ${boot.demoIngestToken}`);
        }
      }
      out('Press Ctrl+C to stop.');
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) return;
        stopping = true;
        out(`${signal}: stopping (storing what is in flight)...`);
        runtime.stop().then(
          () => process.exit(0),
          (err) => {
            console.error(err);
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', () => shutdown('SIGINT'));
      process.on('SIGTERM', () => shutdown('SIGTERM'));
    });
}

function port(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${flag}: "${text}" is not a port number`);
  return n;
}
