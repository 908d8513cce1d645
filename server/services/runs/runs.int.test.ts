/**
 * A study on generated data with a known effect, end to end: load the SIS export through the
 * real dataset path, define the study, start a run, execute it in a worker thread, and check
 * that the CI covers the true effect, that a re-run reproduces the numbers exactly, that cancel
 * works, and that another tenant sees none of it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTenantWithMembers, testDatabases, useTestEnv } from '../../../db/testing/fixtures';
import { generateSisExport } from '../../../db/seed/sis-generator';
import { startWorker } from '../../../workers/runner';
import { AnalysisInputError, startAnalysisThread } from '../../../workers/tasks/runs/thread-engine';
import { ingestDirectly } from '../datasets/testing/ingest';
import type { TenantActor } from '../members/manage-members';
import { createStudy } from '../studies/manage-studies';
import { executeRun, type RunEngine } from './execute-run';
import { exportRun } from './export-run';
import { cancelRun, findRuns, getRun, getRunStatus, startRun } from './manage-runs';

useTestEnv();
process.env.STORAGE_DIR = mkdtempSync(path.join(tmpdir(), 'causeway-runs-'));
const { app, owner } = testDatabases();
const engine: RunEngine = { start: startAnalysisThread, isInputError: (error) => error instanceof AnalysisInputError };
const { files, truth } = generateSisExport({ seed: 7, students: 3_000 });
let home: TenantActor;
let other: TenantActor;
let studyId: string;

beforeAll(async () => {
  const a = await createTenantWithMembers(app, ['admin']);
  const b = await createTenantWithMembers(app, ['admin']);
  home = { tenantId: a.tenant.id, userId: a.members.admin!.id, role: 'admin' };
  other = { tenantId: b.tenant.id, userId: b.members.admin!.id, role: 'admin' };
  for (const [kind, file] of [
    ['terms', 'terms.csv'],
    ['students', 'students.csv'],
    ['term_enrollments', 'enrollments.csv'],
    ['participation', 'participation.csv'],
  ] as const) {
    expect((await ingestDirectly(app.db, home, kind, file, files[file])).status).toBe('loaded');
  }
  const study = await createStudy(app.db, home, {
    name: 'Summer Bridge and retention',
    intervention: truth.programme,
    outcome: 'retained_fall_to_fall',
    method: { imputations: 3, seed: 11 },
  });
  studyId = study.id;
}, 180_000);

afterAll(async () => {
  await app.close();
  await owner.close();
});

describe('runs', () => {
  it('estimates a known effect with a CI that covers it, and a re-run reproduces it exactly', async () => {
    const { runId, counts } = await startRun(app.db, home, studyId);
    expect(counts.participants).toBe(truth.participants);
    await executeRun(app.db, engine, { tenantId: home.tenantId, runId });
    const run = await getRun(app.db, home, runId);
    expect(run.error).toBeNull();
    expect(run.status).toBe('succeeded');
    const result = run.result as { analysis: { estimate: number; ci95: [number, number] }; headline: string; grade: string };
    const [lo, hi] = result.analysis.ci95;
    expect(lo).toBeLessThan(truth.attRetention);
    expect(hi).toBeGreaterThan(truth.attRetention);
    expect(result.headline).toMatch(/fall-to-fall retention was [\d.]+ points (higher|lower)/);
    expect(run.lineage).toMatchObject({ seed: 11, studyVersion: 1 });

    const again = await startRun(app.db, home, studyId);
    await executeRun(app.db, engine, { tenantId: home.tenantId, runId: again.runId });
    const rerun = (await getRun(app.db, home, again.runId)).result as typeof result;
    expect(rerun.analysis.estimate).toBe(result.analysis.estimate);
    expect(rerun.analysis.ci95).toEqual(result.analysis.ci95);

    const csv = await exportRun(app.db, home, runId, 'csv');
    expect(csv.body.split('\r\n')[0]).toBe('section,name,value,lower,upper,detail');
    expect(JSON.parse((await exportRun(app.db, home, runId, 'json')).body).result).toEqual(run.result);

    // A duplicated job for a finished run changes nothing.
    await executeRun(app.db, engine, { tenantId: home.tenantId, runId });
    expect((await getRun(app.db, home, runId)).result).toEqual(run.result);
  }, 240_000);

  it('retries a run whose worker process was killed mid-run, and finishes it exactly once', async () => {
    const { runId } = await startRun(app.db, home, studyId);
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
    const child = spawn(process.execPath, ['--import', 'tsx', 'workers/index.ts'], {
      cwd: root,
      env: { ...process.env, APP_DATABASE_URL: inject('appUrl'), DATABASE_URL: inject('ownerUrl'), LOG_LEVEL: 'error' },
      stdio: 'ignore',
    });
    const waitFor = async (status: string, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const run = await getRun(app.db, home, runId);
        if (run.status === status) return run;
        if (Date.now() > deadline) throw new Error(`run stayed ${run.status}; wanted ${status}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    await waitFor('running', 60_000);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    const runner = await startWorker({ connectionString: inject('appUrl'), concurrency: 1, liveness: { beatMs: 500, deadAfterMs: 2_000 } });
    try {
      const finished = await waitFor('succeeded', 120_000);
      expect(finished.attempts).toBe(2);
      expect((finished.result as { analysis: { estimate: number } }).analysis.estimate).toBeTypeOf('number');
    } finally {
      await runner.stop();
    }
  }, 240_000);

  it('cancels a queued run, and hides runs from another tenant', async () => {
    const { runId } = await startRun(app.db, home, studyId);
    await cancelRun(app.db, home, runId);
    await executeRun(app.db, engine, { tenantId: home.tenantId, runId });
    const run = await getRun(app.db, home, runId);
    expect(run.status).toBe('cancelled');
    // The polled status (one pipelined round trip) says the same as the full read, with real dates.
    const { id, studyId: sid, studyVersion, status, progress, error, cancelRequestedAt, createdAt, startedAt, finishedAt } = run;
    expect(await getRunStatus(app.db, home, runId)).toEqual({ id, studyId: sid, studyVersion, status, progress, error, cancelRequestedAt, createdAt, startedAt, finishedAt });
    expect(cancelRequestedAt).toBeInstanceOf(Date);
    await expect(cancelRun(app.db, home, runId)).rejects.toThrow(/already cancelled/);

    await expect(getRun(app.db, other, runId)).rejects.toThrow(/not found/);
    await expect(getRunStatus(app.db, other, runId)).rejects.toThrow(/not found/);
    await expect(cancelRun(app.db, other, runId)).rejects.toThrow(/not found/);
    await expect(startRun(app.db, other, studyId)).rejects.toThrow(/not found/);
    expect(await findRuns(app.db, other, studyId)).toEqual([]);
    await expect(exportRun(app.db, other, runId, 'csv')).rejects.toThrow(/not found/);
    await expect(exportRun(app.db, home, runId, 'json')).rejects.toThrow(/no result to export/);
  });
});
