/**
 * A study from "Run" to a stored result, on generated data with a known effect: N students
 * (default 100,000) of a Banner-style export are loaded through the real dataset path, the
 * default study (logistic propensity, matching within 0.2 SD of the logit, multiple imputation
 * m = 10 because test scores have gaps, full sensitivity without refuters) is started and
 * executed in a worker thread as the run job does it. Prints the run's wall time (target ≤ 90 s
 * at 100,000 students on 2 cores), its stages, the estimate against the truth, and the size of
 * the stored result the results page renders.
 *
 * Run: npx tsx bench/study-run.ts [students=100000] [imputations=10]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { generateSisExport } from '../db/seed/sis-generator';
import { datasetStorage } from '../server/services/datasets/dataset-storage';
import { loadDatasetVersion } from '../server/services/datasets/load-dataset-version';
import { requestLoad, saveMapping, suggestMappingForVersion } from '../server/services/datasets/manage-datasets';
import { profileDatasetVersion } from '../server/services/datasets/profile-dataset-version';
import { uploadDataset } from '../server/services/datasets/upload-dataset';
import { executeRun } from '../server/services/runs/execute-run';
import { getRun, startRun } from '../server/services/runs/manage-runs';
import { createStudy } from '../server/services/studies/manage-studies';
import { AnalysisInputError, startAnalysisThread } from '../workers/tasks/runs/thread-engine';
import { startBenchDatabase } from './support/bench-database';

process.env.LOG_LEVEL ??= 'warn';
const [studentsArg, imputationsArg] = process.argv.slice(2);
const students = Number(studentsArg ?? 100_000);
const imputations = Number(imputationsArg ?? 10);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

async function main(): Promise<void> {
  const storageDir = mkdtempSync(path.join(tmpdir(), 'causeway-bench-study-'));
  process.env.STORAGE_DIR = storageDir;
  const bench = await startBenchDatabase(root);
  const { db, actor } = bench;
  try {
    const t0 = performance.now();
    const { files, truth } = generateSisExport({ seed: 2024, students });
    const storage = datasetStorage();
    for (const [kind, file] of [
      ['terms', 'terms.csv'],
      ['students', 'students.csv'],
      ['term_enrollments', 'enrollments.csv'],
      ['participation', 'participation.csv'],
    ] as const) {
      const { versionId } = await uploadDataset(db, storage, actor, { kind, filename: file }, Readable.from([Buffer.from(files[file])]), { maxBytes: 2 ** 31 });
      await profileDatasetVersion(db, storage, { tenantId: actor.tenantId, versionId });
      await saveMapping(db, actor, versionId, (await suggestMappingForVersion(db, actor, versionId)).spec);
      await requestLoad(db, actor, versionId);
      await loadDatasetVersion(db, storage, { tenantId: actor.tenantId, versionId });
    }
    console.log(`Study run bench: ${students.toLocaleString('en-US')} students loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${bench.serverVersion}`);

    const study = await createStudy(db, actor, {
      name: 'Summer Bridge and retention',
      intervention: truth.programme,
      outcome: 'retained_fall_to_fall',
      method: { imputations },
    });
    const started = performance.now();
    const cpu0 = process.cpuUsage();
    const { runId } = await startRun(db, actor, study.id);
    const stages: string[] = [];
    await executeRun(
      db,
      {
        start: (frame, spec, minCellSize, onStage) =>
          startAnalysisThread(frame, spec, minCellSize, (stage) => {
            stages.push(`${((performance.now() - started) / 1000).toFixed(1)} s ${stage}`);
            onStage(stage);
          }),
        isInputError: (error) => error instanceof AnalysisInputError,
      },
      { tenantId: actor.tenantId, runId },
    );
    const wall = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const run = await getRun(db, actor, runId);
    const result = run.result as { analysis: { estimate: number; ci95: [number, number] }; grade: string } | null;
    for (const stage of stages) console.log(`  ${stage}`);
    console.log(
      `RUN → RESULT: ${wall.toFixed(1)} s wall (cpu ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, all threads) for ${students.toLocaleString('en-US')} students, m = ${imputations}; status ${run.status}; ` +
        `estimate ${result ? (result.analysis.estimate * 100).toFixed(2) : '—'} points (CI ${result ? result.analysis.ci95.map((v) => (v * 100).toFixed(2)).join(' to ') : '—'}), ` +
        `truth ${(truth.attRetention * 100).toFixed(2)}; grade ${result?.grade ?? '—'}; stored result ${(JSON.stringify(run.result).length / 1024).toFixed(0)} KB; target ≤ 90 s at 100,000`,
    );
  } finally {
    await bench.close();
    rmSync(storageDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
