import { openCsvTable, type ByteSource, type CsvProblem, type OpenCsvTableOptions } from './csv-records';
import type { DetectedFormat } from './detect-format';
import { DatasetProfiler, type DatasetProfile, type ProfileOptions } from './profile';

export interface ProfileCsvResult {
  format: DetectedFormat;
  header: string[];
  profile: DatasetProfile;
  /** Recoverable problems (ragged rows, header names), capped at `maxProblems`. */
  problems: CsvProblem[];
  problemCount: number;
  skippedRows: number;
}

/**
 * Streams a CSV/TSV byte source through the reader and the profiler — the body of the profiling
 * job. Ragged rows are collected, not fatal, so one pass reports them all (the first
 * `maxProblems`, default 100, are kept; all are counted); fatal problems throw AppError.
 */
export async function profileCsv(
  source: ByteSource,
  options: Omit<OpenCsvTableOptions, 'onProblem'> & { profile?: ProfileOptions; maxProblems?: number; signal?: AbortSignal } = {},
): Promise<ProfileCsvResult> {
  const problems: CsvProblem[] = [];
  const maxProblems = options.maxProblems ?? 100;
  const table = await openCsvTable(source, {
    ...options,
    onProblem: (p) => {
      if (problems.length < maxProblems) problems.push(p);
    },
  });
  const profiler = new DatasetProfiler(table.header, options.profile);
  for await (const batch of table.batches) {
    if (options.signal?.aborted) break;
    for (const row of batch) profiler.add(row.fields);
  }
  options.signal?.throwIfAborted();
  return {
    format: table.format,
    header: table.header,
    profile: profiler.finish(),
    problems,
    problemCount: table.stats.problems,
    skippedRows: table.stats.skippedRows,
  };
}
