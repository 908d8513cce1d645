/**
 * `causeway analyze`: reads the CSV, runs the pure pipeline (workers/causal/pipeline/analyze)
 * and prints a report or one JSON object. Times the stages (the engine has no clock).
 * User errors (CausalInputError, UsageError) print a message on stderr and exit non-zero
 * without a stack trace; anything else is a bug and keeps its stack.
 */
import { statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { CausalInputError } from '../causal/errors';
import { runAnalysis } from '../causal/pipeline/within';
import { createRng } from '../causal/random/rng';
import { readCsvSplit } from '../compute/csv-split';
import { parallelHooks } from '../compute/hooks';
import { ComputePool } from '../compute/pool';
import { createTracedRng } from '../compute/traced-rng';
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

/** Files this large (~150k rows of 20 covariates) repay starting a worker thread. */
const PARALLEL_MIN_BYTES = 32e6;
/** With --impute (m whole analyses) from ~10k rows on. */
const PARALLEL_MIN_BYTES_IMPUTE = 1e6;

/**
 * Worker threads: as asked by --threads, else 2 when the file is large, 2 cores exist and the
 * second one is idle enough to help (measured: on a loaded 2-core machine the split work is
 * slower than one thread). With an explicit --threads 2 every stage uses the worker whatever
 * the size (that is how the tests check that the threaded path gives the same output).
 */
function threadsFor(threads: number | undefined, data: string, imputing: boolean): { use: boolean; forced: boolean } {
  if (threads !== undefined) return { use: threads === 2, forced: threads === 2 };
  let size = 0;
  try {
    size = statSync(data).size;
  } catch {
    // Missing or unreadable: the reader reports it.
  }
  const cores = availableParallelism();
  const idleCores = cores - (loadavg()[0] ?? 0);
  // Each imputation is a whole analysis: two threads pay off from small files on.
  const minBytes = imputing ? PARALLEL_MIN_BYTES_IMPUTE : PARALLEL_MIN_BYTES;
  return { use: size >= minBytes && cores >= 2 && idleCores >= 1, forced: false };
}

/** Runs the CLI; returns the exit code (0 ok, 1 data error, 2 usage error). */
export async function main(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  let pool: ComputePool | null = null;
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
    const csvOptions = cli.delimiter ? { delimiter: cli.delimiter } : {};
    const threads = threadsFor(cli.threads, cli.data, cli.analyze.impute !== undefined);
    // Started before the read so that it loads while this thread parses.
    pool = threads.use ? ComputePool.start() : null;
    const table = pool ? await readCsvSplit(pool, cli.data, csvOptions, threads.forced ? { minBytes: 0 } : {}) : await readCsvFile(cli.data, csvOptions);
    const parallel = pool ? parallelHooks(pool, threads.forced ? { minRows: 0 } : {}) : undefined;
    // A traced generator draws exactly as createRng(seed) and lets the worker rebuild its streams.
    const rng = pool ? createTracedRng(cli.seed) : createRng(cli.seed);
    const result = runAnalysis(table, { ...cli.analyze, onStage, parallel }, rng);
    onStage('done');
    timings.total = Math.round(performance.now() - start);
    const timingsMs = cli.timings ? timings : {};
    // Peak resident memory of this process (maxRSS is in KiB); left out with the timings.
    // CPU time covers all threads of the process (the compute worker included).
    const usage = process.resourceUsage();
    const resources = cli.timings ? { peakRssMb: Math.round(usage.maxRSS / 1024), cpuMs: Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000), threads: pool ? 2 : 1 } : {};
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
  } finally {
    await pool?.close();
  }
}
