import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import { findRuleFiles, loadAndCompileFile, type FileOutcome } from '../../detect/sigma/index.js';
import { printJson, printTable, sanitize } from '../output.js';

/** Directories with more files than this get a progress bar on a terminal. */
const PROGRESS_THRESHOLD = 200;

/**
 * `mamori rules validate <dir|file>...`: loads and compiles every Sigma
 * file, prints `ok` or the exact reason per file, then totals by reason.
 * Exit code 0 only when every file loads.
 */
export function registerRulesCommand(program: Command): void {
  const rules = program.command('rules').description('Work with Sigma detection rules');
  rules
    .command('validate <paths...>')
    .description('Check that Sigma rule files (or directories of them) load and compile')
    .option('--json', 'one JSON line per file: {file, ok, rules, errors}')
    .option('--quiet', 'print only the files that do not load, and the totals')
    .action(async (paths: string[], o: { json?: boolean; quiet?: boolean }) => {
      const files: string[] = [];
      for (const p of paths) files.push(...((await stat(p)).isDirectory() ? await findRuleFiles(p) : [p]));
      const showBar = !o.json && process.stderr.isTTY && files.length > PROGRESS_THRESHOLD;
      const bar = showBar ? new SingleBar({ format: 'validating [{bar}] {value}/{total} files', stream: process.stderr }, Presets.shades_classic) : undefined;
      bar?.start(files.length, 0);
      const outcomes: FileOutcome[] = [];
      const lines: string[] = [];
      for (const file of files) {
        const outcome = await loadAndCompileFile(file);
        outcomes.push(outcome);
        bar?.increment();
        if (o.json) printJson({ file, ok: outcome.errors.length === 0, rules: outcome.rules.length, errors: outcome.errors });
        else if (outcome.errors.length) lines.push(`${sanitize(file)}: ${outcome.errors.map(sanitize).join('; ')}`);
        else if (!o.quiet) lines.push(`${sanitize(file)}: ok`);
        // With a bar on screen, per-file lines wait until it is gone.
        if (!bar && lines.length) process.stdout.write(lines.splice(0).join('\n') + '\n');
      }
      bar?.stop();
      if (lines.length) process.stdout.write(lines.join('\n') + '\n');
      const failed = outcomes.filter((x) => x.errors.length > 0);
      if (!o.json) printSummary(outcomes, failed);
      process.exitCode = failed.length === 0 && files.length > 0 ? 0 : 1;
    });

  rules
    .command('test')
    .description('Evaluate rules over a file of events; one JSON line per match: {"rule_id","title","level","event_index"}')
    .requiredOption('--rules <paths...>', 'rule files or folders')
    .requiredOption('--events <file>', 'events, one per line (.jsonl or .jsonl.gz, or any log file)')
    .option('--format <parser>', 'parser for the event lines: windows, ecs (flat or nested ECS JSON), auto or any `mamori parse --list` name', 'auto')
    .option('--jsonl', 'write matches as JSON lines (the default; kept for scripts that pass it)')
    .action(async (o: { rules: string[]; events: string; format: string }) => {
      const { runRulesTest } = await import('../../detect/rules-test.js');
      const format = o.format === 'ecs' ? 'json' : o.format;
      const summary = await runRulesTest(o.rules, o.events, format, (match) => process.stdout.write(JSON.stringify(match) + '\n'));
      const s = summary.ruleSet;
      process.stderr.write(
        `${summary.events} events, ${summary.matches} matches; ${s.rules} rules in ${s.sources} log sources loaded from ${summary.files} files in ${summary.loadMs} ms` +
          (summary.loadErrors.length ? `, ${summary.loadErrors.length} not loaded (mamori rules validate says why)` : '') +
          (s.unroutable.length ? `, ${s.unroutable.length} for log sources Mamori has no events of` : '') +
          (summary.parseErrors ? `; ${summary.parseErrors} line${summary.parseErrors === 1 ? '' : 's'} the ${format} parser could not read` : '') +
          `; evaluated in ${summary.evaluateMs} ms\n`,
      );
    });
}

function printSummary(outcomes: FileOutcome[], failed: FileOutcome[]): void {
  const rules = outcomes.reduce((n, x) => n + x.rules.length, 0);
  process.stdout.write(`\n${outcomes.length} files: ${outcomes.length - failed.length} loaded, ${failed.length} not loaded; ${rules} rules compiled\n`);
  if (failed.length === 0) return;
  const byReason = new Map<string, number>();
  for (const x of failed) for (const reason of x.errors) byReason.set(reasonKind(reason), (byReason.get(reasonKind(reason)) ?? 0) + 1);
  const rows = [...byReason].sort((a, b) => b[1] - a[1]).map(([reason, count]) => ({ reason, count }));
  printTable(rows, ['reason', 'count']);
}

/** Groups reasons that differ only in the rule-specific part (`in selection.Image`, quoted names). */
function reasonKind(reason: string): string {
  return reason.replace(/ in \S+$/, '').replace(/"[^"]*"/g, '"…"').replace(/%[^%]+%/g, '%…%');
}
