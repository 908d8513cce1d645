/**
 * The compute worker's task loop (loaded by ./worker-entry.mjs). Each task is a pure function
 * of its inputs (the same code the main thread runs), so which thread ran what never changes
 * a result. Replies go to the result port, followed by a bump of the shared signal counter
 * that the main thread sleeps on (see ./pool).
 */
import { parentPort, workerData, type Transferable } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { crossprodRange } from '../causal/linalg/crossprod';
import { balanceRows } from '../causal/pipeline/balance-table';
import { fitGbmFold } from '../causal/propensity/cross-fit';
import { runImputation } from '../causal/pipeline/within';
import { parseCsvRange } from './csv-range';
import type { Task, WorkerReply } from './tasks';
import { rebuildRng } from './traced-rng';

const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };

function reply(message: WorkerReply, transfer: Transferable[] = []): void {
  port.postMessage(message, transfer);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

/** The plain (not shared, distinct) buffers among `buffers`, to move rather than copy. */
const movable = (buffers: ArrayBufferLike[]): ArrayBuffer[] => [...new Set(buffers)].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);

function run(task: Task): void {
  switch (task.type) {
    case 'crossprod':
      crossprodRange(task.x, task.w, task.start, task.end, task.out);
      reply({ type: 'crossprod', done: true });
      return;
    case 'gbm-folds': {
      const base = rebuildRng(task.rng);
      for (let k = Atomics.add(task.next, 0, 1); k < task.folds; k = Atomics.add(task.next, 0, 1)) {
        const result = fitGbmFold(task.data, task.treat, task.foldOf, k, base.derive(`gbm-fold-${k}`), task.options);
        reply({ type: 'gbm-fold', done: false, result }, movable([result.rows.buffer, result.rawScore.buffer]));
      }
      reply({ type: 'gbm-folds', done: true });
      return;
    }
    case 'balance':
      reply({ type: 'balance', done: true, rows: balanceRows(task.covariates, task.treat, task.weights) });
      return;
    case 'impute-analyze': {
      const base = rebuildRng(task.rng);
      for (let j = Atomics.add(task.next, 0, 1); j < task.input.m; j = Atomics.add(task.next, 0, 1)) {
        reply({ type: 'impute-run', done: false, run: runImputation(task.input, base, j) });
      }
      reply({ type: 'impute-analyze', done: true });
      return;
    }
    case 'csv-range': {
      const table = parseCsvRange(task.path, task.headerEnd, task.start, task.end, task.options);
      const buffers = table ? table.columns.map((c) => (c.kind === 'numeric' ? c.values.buffer : c.codes.buffer)) : [];
      reply({ type: 'csv-range', done: true, table }, movable(buffers));
      return;
    }
  }
}

parentPort!.on('message', (task: Task) => {
  try {
    run(task);
  } catch (err) {
    reply({ type: 'error', message: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) });
  }
});
reply({ type: 'ready' });
