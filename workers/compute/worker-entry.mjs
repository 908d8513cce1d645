// Worker-thread entry of the compute pool (./pool.ts). Workers start without the parent's
// TypeScript loader hooks, so tsx's loader is registered here before the task module is
// imported. A failure to load is reported on the result port so the parent never waits forever.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
try {
  await import('./worker.ts');
} catch (err) {
  workerData.port.postMessage({ type: 'error', message: `compute worker failed to load: ${err instanceof Error ? err.message : String(err)}` });
  Atomics.add(workerData.signal, 0, 1);
  Atomics.notify(workerData.signal, 0);
}
