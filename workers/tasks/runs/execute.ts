import type { Task } from 'graphile-worker';
import { appDb } from '../../../db';
import { jobCatalog } from '../../../server/jobs/catalog';
import { executeRun, type RunEngine } from '../../../server/services/runs/execute-run';
import { AnalysisInputError, startAnalysisThread } from './thread-engine';

const threadEngine: RunEngine = {
  start: (frame, spec, minCellSize, onStage) => startAnalysisThread(frame, spec, minCellSize, onStage),
  isInputError: (error) => error instanceof AnalysisInputError,
};

export const executeRunTask: Task = async (payload, helpers) => {
  await executeRun(appDb(), threadEngine, jobCatalog['run.execute'].parse(payload), { final: helpers.job.attempts >= helpers.job.max_attempts });
};
