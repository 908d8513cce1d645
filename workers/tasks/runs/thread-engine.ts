/**
 * Runs a study analysis in its own worker thread, so the job's event loop stays free to write
 * progress and notice cancellation; cancelling terminates the thread.
 */
import { Worker } from 'node:worker_threads';
import type { Frame } from '../../causal/data/frame';
import type { StudySpec } from '../../../server/services/studies/study-spec';
import type { StudyAnalysis } from './study-analysis';

export class AnalysisInputError extends Error {}

export interface AnalysisHandle {
  result: Promise<StudyAnalysis>;
  cancel(): Promise<void>;
}

export function startAnalysisThread(frame: Frame, spec: StudySpec, minCellSize: number, onStage: (stage: string) => void): AnalysisHandle {
  const worker = new Worker(new URL('./analysis-thread-entry.mjs', import.meta.url), { workerData: { frame, spec, minCellSize } });
  let cancelled = false;
  const result = new Promise<StudyAnalysis>((resolve, reject) => {
    worker.on('message', (message: { type: string; stage?: string; result?: StudyAnalysis; message?: string; userError?: boolean }) => {
      if (message.type === 'stage') onStage(message.stage!);
      else if (message.type === 'done') resolve(message.result!);
      else if (message.type === 'error') reject(message.userError ? new AnalysisInputError(message.message) : new Error(message.message));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (cancelled) reject(new Error('cancelled'));
      else if (code !== 0) reject(new Error(`the analysis thread stopped (exit code ${code})`));
    });
  }).finally(() => void worker.terminate());
  return {
    result,
    cancel: async () => {
      cancelled = true;
      await worker.terminate();
    },
  };
}
