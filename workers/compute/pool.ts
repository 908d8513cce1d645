/**
 * A pool of one extra worker thread for the CPU-heavy stages of `causeway analyze` (2 cores:
 * this thread + the worker). The numeric pipeline is synchronous, so waiting is synchronous
 * too: the worker posts each reply on a MessageChannel port and bumps a shared counter; this
 * thread sleeps on the counter (Atomics.wait) and takes the reply with receiveMessageOnPort.
 * Big inputs travel as SharedArrayBuffer-backed arrays (./shared), so nothing large is copied.
 *
 * One task at a time: `submit` a task, then `receive` its replies (a task may post several,
 * the last with `done: true`). The worker is unref'd, so a forgotten pool never keeps the
 * process alive; `close` terminates it.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort, type Transferable } from 'node:worker_threads';
import type { Task, WorkerReply } from './tasks';

export class ComputeWorkerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ComputeWorkerError';
  }
}

export class ComputePool {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly signal: Int32Array;
  private ready = false;
  private closed = false;
  /** True while a task's replies are still to be received. */
  busy = false;

  private constructor() {
    const { port1, port2 } = new MessageChannel();
    this.signal = new Int32Array(new SharedArrayBuffer(4));
    this.worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: { port: port1, signal: this.signal }, transferList: [port1] });
    this.worker.unref();
    // A failure is also reported on the port; this only keeps an 'error' event from crashing.
    this.worker.on('error', () => undefined);
    this.port = port2;
  }

  /** Starts the worker; it loads in the background while this thread goes on. */
  static start(): ComputePool {
    return new ComputePool();
  }

  /** Sends a task (queued by the worker until it has loaded). */
  submit(task: Task, transfer: Transferable[] = []): void {
    if (this.closed) throw new ComputeWorkerError('The compute pool is closed.');
    if (this.busy) throw new ComputeWorkerError(`The compute worker is busy; cannot start "${task.type}".`);
    this.busy = true;
    this.worker.postMessage(task, transfer);
  }

  /** Blocks until the worker's next reply to the current task; throws the worker's errors. */
  receive<T extends WorkerReply>(): T {
    for (;;) {
      const seen = Atomics.load(this.signal, 0);
      const got = receiveMessageOnPort(this.port);
      if (got !== undefined) {
        const reply = got.message as WorkerReply;
        if (reply.type === 'ready') {
          this.ready = true;
          continue;
        }
        if (reply.type === 'error') {
          this.busy = false;
          throw new ComputeWorkerError(reply.message);
        }
        if (reply.done) this.busy = false;
        return reply as T;
      }
      // threadId turns -1 once the thread has stopped (before any 'exit' event could run here).
      if (this.worker.threadId === -1) {
        this.busy = false;
        throw new ComputeWorkerError('The compute worker stopped unexpectedly.');
      }
      Atomics.wait(this.signal, 0, seen, 200);
    }
  }

  /** True once the worker has reported that it loaded (after a first `receive`). */
  get loaded(): boolean {
    return this.ready;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.port.close();
    await this.worker.terminate();
  }
}
