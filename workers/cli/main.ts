/**
 * `causeway analyze`: reads the CSV, runs the pure pipeline (workers/causal/pipeline/analyze)
 * and prints a report or one JSON object. Times the stages (the engine has no clock).
 * User errors (CausalInputError, UsageError) print a message on stderr and exit non-zero
 * without a stack trace; anything else is a bug and keeps its stack.
 */
import { performance } from 'node:perf_hooks';
import { CausalInputError } from '../causal/errors';
import { analyze } from '../causal/pipeline/analyze';
import { createRng } from '../causal/random/rng';
import { readCsvFile } from '../io/csv';
import { HELP, parseCli, UsageError } from './args';
import { formatReport } from './format';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const defaultIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** JSON with NaN/Infinity as null (JSON has no such numbers). */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
}

/** Runs the CLI; returns the exit code (0 ok, 1 data error, 2 usage error). */
export async function main(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  try {
    const cli = parseCli(argv);
    if (cli.command === 'help') {
      io.stdout(HELP);
      return 0;
    }
    const timings: Record<string, number> = {};
    const start = performance.now();
    let stage = 'read';
    let stageStart = start;
    const onStage = (next: string): void => {
      const now = performance.now();
      timings[stage] = Math.round((timings[stage] ?? 0) + now - stageStart);
      stage = next;
      stageStart = now;
    };
    const table = await readCsvFile(cli.data, cli.delimiter ? { delimiter: cli.delimiter } : {});
    const result = analyze(table, { ...cli.analyze, onStage }, createRng(cli.seed));
    onStage('done');
    timings.total = Math.round(performance.now() - start);
    const timingsMs = cli.timings ? timings : {};
    // Peak resident memory of this process (maxRSS is in KiB); left out with the timings.
    const resources = cli.timings ? { peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) } : {};
    if (cli.json) io.stdout(toJson({ ...result, timingsMs, resources }) + '\n');
    else io.stdout(formatReport(result, cli.timings ? timings : undefined));
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`causeway: ${err.message}\nRun "causeway --help" for usage.\n`);
      return 2;
    }
    if (err instanceof CausalInputError) {
      io.stderr(`causeway: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
