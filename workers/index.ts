/** The worker process: `npm run worker` (started by `npm start` alongside the web app). */
import { closeAppDb } from '../db';
import { logger } from '../server/logger';
import { startWorker } from './runner';

const runner = await startWorker();
let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info('worker stopping', { signal });
  await runner.stop();
  await closeAppDb();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
await runner.promise;
