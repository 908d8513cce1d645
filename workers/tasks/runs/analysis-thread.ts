/** Inside the worker thread: run the study analysis, reporting each stage to the parent. */
import { parentPort, workerData } from 'node:worker_threads';
import type { Frame } from '../../causal/data/frame';
import { CausalInputError } from '../../causal/errors';
import type { StudySpec } from '../../../server/services/studies/study-spec';
import { runStudyAnalysis } from './study-analysis';

const { frame, spec, minCellSize } = workerData as { frame: Frame; spec: StudySpec; minCellSize: number };
try {
  const result = runStudyAnalysis(frame, spec, minCellSize, (stage) => parentPort!.postMessage({ type: 'stage', stage }));
  parentPort!.postMessage({ type: 'done', result });
} catch (error) {
  parentPort!.postMessage({
    type: 'error',
    message: error instanceof Error ? error.message : String(error),
    userError: error instanceof CausalInputError,
  });
}
