// Worker-thread entry of a run's analysis: threads start without the parent's TypeScript
// loader, so tsx is registered before the TypeScript module is imported.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
try {
  await import('./analysis-thread.ts');
} catch (error) {
  parentPort?.postMessage({ type: 'error', message: `the analysis thread failed to load: ${error instanceof Error ? error.message : String(error)}` });
}
