import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { newEventId } from '../../core/ids.js';
import { normalise } from '../../parse/normalise.js';
import { getParser, parserInfo } from '../../parse/registry.js';
import { printTable } from '../output.js';

/**
 * `mamori parse`: raw lines on stdin, one normalised event (NDJSON) per
 * input line on stdout, in order. Works without a server.
 */
export function registerParseCommand(program: Command): void {
  program
    .command('parse')
    .description('Parse raw lines from stdin into normalised ECS events (NDJSON on stdout)')
    .option('--format <name>', 'parser name (see --list)', 'auto')
    .option('--timezone <zone>', 'time zone of timestamps without offset', 'UTC')
    .option('--tenant <id>', 'tenant id to put on the events', 'local')
    .option('--list', 'list the available parsers')
    .action(async (o: { format: string; timezone: string; tenant: string; list?: boolean }) => {
      if (o.list) {
        printTable(parserInfo() as unknown as Record<string, unknown>[], ['name', 'description']);
        return;
      }
      getParser(o.format); // fail before reading stdin when the name is unknown
      const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
      let out: string[] = [];
      for await (const line of lines) {
        const received = Date.now();
        const event = normalise({ id: newEventId(received), tenant: o.tenant, source: 'stdin', format: o.format, received, data: line, timezone: o.timezone });
        out.push(JSON.stringify(event));
        if (out.length >= 1000) {
          if (!process.stdout.write(out.join('\n') + '\n')) await new Promise((r) => process.stdout.once('drain', r));
          out = [];
        }
      }
      if (out.length) process.stdout.write(out.join('\n') + '\n');
    });
}
