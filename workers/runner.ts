/**
 * Starts graphile-worker against the application database as the app role. Used by
 * workers/index.ts (the worker process) and by integration tests (a real worker, in-process).
 */
import { run, type Runner } from 'graphile-worker';
import { appDatabaseUrl } from '../server/env';
import { logger } from '../server/logger';
import { taskList } from './tasks';

export async function startWorker(options: { concurrency?: number; connectionString?: string } = {}): Promise<Runner> {
  const runner = await run({
    connectionString: options.connectionString ?? appDatabaseUrl(),
    concurrency: options.concurrency ?? 4,
    noHandleSignals: true,
    pollInterval: 1000,
    taskList,
  });
  logger.info('worker started', { tasks: Object.keys(taskList) });
  return runner;
}
