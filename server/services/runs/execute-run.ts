/**
 * The run job's work. Re-reads the run and does nothing for a run that already finished or was
 * cancelled (a retried or duplicated job therefore never writes a second result). Builds the
 * analysis frame, hands it to the engine (a worker thread), writes progress as stages pass,
 * checks for cancellation every second, and writes the result — headline, evidence grade and
 * warnings included — with one conditional update, so exactly one attempt can finish a run.
 * The update that ends a run also emits its webhook event (run.completed, or run.failed for a
 * failed or cancelled run) in the same transaction.
 */
import { and, eq } from 'drizzle-orm';
import type { Frame } from '../../../workers/causal/data/frame';
import type { AnalyzeResult } from '../../../workers/causal/pipeline/options';
import type { Db, Tx } from '../../../db/client';
import { institutionSettings, runs } from '../../../db/schema';
import { withTenant, withTenantSql } from '../../../db/tenant';
import { AppError } from '../../errors/app-error';
import { logger } from '../../logger';
import { buildAnalysisFrame } from '../studies/analysis-frame';
import { outcomeLabels, studySpecSchema, type StudySpec } from '../studies/study-spec';
import { drizzleRunner, emitWebhookEvent } from '../webhooks/emit-webhook-event';
import { assessEvidence } from './evidence';

type RunEnd = { status: 'succeeded'; result: Record<string, unknown> } | { status: 'failed'; error: string } | { status: 'cancelled' };

/** Ends a run with one conditional update (`where`) and emits its webhook event if it matched. */
async function endRun(tx: Tx, tenantId: string, where: ReturnType<typeof and>, end: RunEnd): Promise<void> {
  const values =
    end.status === 'succeeded'
      ? { status: end.status, result: end.result, progress: { stage: 'done', percent: 100 }, error: null }
      : { status: end.status, ...(end.status === 'failed' ? { error: end.error } : {}) };
  const [run] = await tx
    .update(runs)
    .set({ ...values, finishedAt: new Date() })
    .where(where)
    .returning({ id: runs.id, studyId: runs.studyId, studyVersion: runs.studyVersion, error: runs.error });
  if (!run) return;
  const data = { runId: run.id, studyId: run.studyId, studyVersion: run.studyVersion };
  if (end.status === 'succeeded') await emitWebhookEvent(drizzleRunner(tx), tenantId, 'run.completed', { ...data, status: 'succeeded', error: null });
  else await emitWebhookEvent(drizzleRunner(tx), tenantId, 'run.failed', { ...data, status: end.status, error: run.error });
}

export interface EngineOutput {
  main: Omit<AnalyzeResult, 'matches' | 'sensitivityDetail'>;
  subgroups: unknown[];
  outcomeSd: number;
}

export interface RunEngine {
  start(frame: Frame, spec: StudySpec, minCellSize: number, onStage: (stage: string) => void): { result: Promise<EngineOutput>; cancel(): Promise<void> };
  /** Errors the engine throws for bad input (the user must change the study), as opposed to failures. */
  isInputError(error: unknown): boolean;
}

/** Rough share of the work done when a stage starts (the imputation stages count k of m). */
function percentFor(stage: string): number {
  const imputation = /imputation (\d+) of (\d+)/.exec(stage);
  if (imputation) return Math.round(10 + (70 * Number(imputation[1])) / Number(imputation[2]));
  const table: Record<string, number> = { validate: 5, design: 8, propensity: 15, match: 35, estimate: 55, balance: 65, sensitivity: 80, pool: 85 };
  const key = Object.keys(table).find((k) => stage.startsWith(k));
  return stage.startsWith('subgroup') ? 90 : key ? table[key]! : 50;
}

export async function executeRun(db: Db, engine: RunEngine, job: { tenantId: string; runId: string }, attempt: { final: boolean } = { final: true }): Promise<void> {
  try {
    await executeRunOnce(db, engine, job);
  } catch (error) {
    // The job will be retried; on its last attempt the run is marked failed instead of left running.
    if (attempt.final) {
      await withTenant(db, job.tenantId, (tx) =>
        endRun(tx, job.tenantId, and(eq(runs.tenantId, job.tenantId), eq(runs.id, job.runId), eq(runs.status, 'running')), {
          status: 'failed',
          error: 'The analysis failed unexpectedly. We have been notified; try running it again.',
        }),
      );
    }
    throw error;
  }
}

async function executeRunOnce(db: Db, engine: RunEngine, job: { tenantId: string; runId: string }): Promise<void> {
  const where = and(eq(runs.tenantId, job.tenantId), eq(runs.id, job.runId));
  const claimed = await withTenant(db, job.tenantId, async (tx) => {
    const [run] = await tx.select().from(runs).where(where).for('update');
    if (!run || run.status === 'succeeded' || run.status === 'cancelled' || run.status === 'failed') return null;
    if (run.cancelRequestedAt) {
      await endRun(tx, job.tenantId, where, { status: 'cancelled' });
      return null;
    }
    await tx
      .update(runs)
      .set({ status: 'running', startedAt: run.startedAt ?? new Date(), attempts: run.attempts + 1, progress: { stage: 'building the analysis data', percent: 2 } })
      .where(where);
    const [settings] = await tx.select({ minCellSize: institutionSettings.minCellSize }).from(institutionSettings).where(eq(institutionSettings.tenantId, job.tenantId));
    return { spec: studySpecSchema.parse(run.spec), minCellSize: settings?.minCellSize ?? 10 };
  });
  if (!claimed) {
    logger.info('run not runnable (finished, failed or cancelled); skipped', job);
    return;
  }
  const { spec, minCellSize } = claimed;
  const fail = (message: string) => withTenant(db, job.tenantId, (tx) => endRun(tx, job.tenantId, and(where, eq(runs.status, 'running')), { status: 'failed', error: message }));

  let built: Awaited<ReturnType<typeof buildAnalysisFrame>>;
  try {
    built = await withTenantSql(db, job.tenantId, (sql) => buildAnalysisFrame(sql, job.tenantId, spec));
  } catch (error) {
    if (error instanceof AppError) return void (await fail(error.message));
    throw error;
  }

  let lastWrite = Promise.resolve();
  const onStage = (stage: string) => {
    lastWrite = lastWrite
      .then(() => withTenant(db, job.tenantId, (tx) => tx.update(runs).set({ progress: { stage, percent: percentFor(stage) } }).where(and(where, eq(runs.status, 'running')))))
      .then(() => undefined, (error: unknown) => logger.warn('progress write failed', { ...job, error: String(error) }));
  };
  const handle = engine.start(built.frame, { ...spec, covariates: built.covariates }, minCellSize, onStage);
  let cancelled = false;
  const watcher = setInterval(() => {
    void withTenant(db, job.tenantId, (tx) => tx.select({ cancel: runs.cancelRequestedAt }).from(runs).where(where)).then(async ([row]) => {
      if (row?.cancel && !cancelled) {
        cancelled = true;
        await handle.cancel();
      }
    });
  }, 1000);
  let output: EngineOutput;
  try {
    output = await handle.result;
  } catch (error) {
    clearInterval(watcher);
    await lastWrite;
    if (cancelled) {
      await withTenant(db, job.tenantId, (tx) => endRun(tx, job.tenantId, where, { status: 'cancelled' }));
      return;
    }
    if (engine.isInputError(error)) return void (await fail((error as Error).message));
    throw error;
  }
  clearInterval(watcher);
  await lastWrite;

  const main = output.main;
  const outcome = outcomeLabels[spec.outcome];
  const maxAbsSmd = main.balance.length ? Math.max(...main.balance.map((b) => Math.abs(b.smdAfter))) : null;
  const evidence = assessEvidence({
    outcomeLabel: outcome.label,
    binary: outcome.binary,
    unit: outcome.unit,
    estimate: main.estimate,
    ci95: main.ci95,
    pValue: main.pValue,
    participants: main.n.treated,
    matchRate: main.matchRate,
    maxAbsSmdAfter: maxAbsSmd,
    treatedOutsideShare: main.n.treated ? main.propensity.treatedOutsideControlRange / main.n.treated : 0,
    auc: main.propensity.auc,
    outcomeSd: output.outcomeSd,
    rvAlpha: main.sensitivity?.robustnessValue.rvAlpha ?? null,
    eValueCi: main.sensitivity?.eValue.ci ?? null,
  });
  const costPerAdditional =
    spec.costPerStudent !== undefined && outcome.binary && main.estimate > 0 ? spec.costPerStudent / main.estimate : null;
  const result = {
    ...evidence,
    analysis: main,
    subgroups: output.subgroups,
    counts: built.counts,
    droppedCovariates: built.dropped,
    costPerAdditional,
    outcome: spec.outcome,
  };
  await withTenant(db, job.tenantId, (tx) =>
    endRun(tx, job.tenantId, and(where, eq(runs.status, 'running')), { status: 'succeeded', result: JSON.parse(JSON.stringify(result)) as Record<string, unknown> }),
  );
}
