/**
 * Starts graphile-worker against the application database as the app role, with worker
 * liveness (./liveness.ts). Used by workers/index.ts (the worker process) and by integration
 * tests (a real worker, in-process).
 */
import { EventEmitter } from 'node:events';
import { run, type Runner, type WorkerEvents } from 'graphile-worker';
import { createDb } from '../db/client';
import { appDatabaseUrl } from '../server/env';
import { logger } from '../server/logger';
import { startLiveness, type LivenessOptions } from './liveness';
import { taskList } from './tasks';

export async function startWorker(
  options: { concurrency?: number; connectionString?: string; liveness?: LivenessOptions } = {},
): Promise<Runner> {
  const connectionString = options.connectionString ?? appDatabaseUrl();
  const events: WorkerEvents = new EventEmitter();
  const workerIds = new Set<string>();
  events.on('worker:create', ({ worker }) => workerIds.add(worker.workerId));
  const runner = await run({
    connectionString,
    concurrency: options.concurrency ?? 4,
    noHandleSignals: true,
    pollInterval: 1000,
    taskList,
    events,
  });
  const handle = createDb(connectionString, { max: 1 });
  const stopLiveness = startLiveness(handle.db, () => [...workerIds], options.liveness ?? { beatMs: 15_000, deadAfterMs: 60_000 });
  const stop = runner.stop.bind(runner);
  runner.stop = async () => {
    await stopLiveness();
    await handle.close();
    await stop();
  };
  logger.info('worker started', { tasks: Object.keys(taskList) });
  return runner;
}
