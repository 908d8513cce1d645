/**
 * Picks the tfjs backend once per process: `@tensorflow/tfjs-node-gpu` when it is installed AND
 * runs on a GPU, else `@tensorflow/tfjs-backend-wasm`, else tfjs's pure-JS 'cpu'. Nothing in the
 * engine depends on the backend for correctness: tensors only propose candidates (float32) that
 * the callers re-rank in float64, and every caller has a plain typed-array path.
 * tfjs-node-gpu is probed with a guarded dynamic import (it is an optional native package, never a
 * static dependency); it silently falls back to its CPU kernels when CUDA 11 / cuDNN 8 are missing
 * (tfjs issues #8362, #8269), so the GPU is confirmed through the backend's `isUsingGpuDevice`.
 * TF_FORCE_GPU_ALLOW_GROWTH=true is set first so TensorFlow does not grab all GPU memory
 * (METHODS.md §9).
 */
import { createRequire } from 'node:module';
import path from 'node:path';

export type TensorBackendName = 'tensorflow-gpu' | 'wasm' | 'cpu';

/** The tfjs API surface the engine uses (typed loosely so tfjs-node-gpu can stand in). */
export type Tf = typeof import('@tensorflow/tfjs');

export interface TensorBackend {
  readonly tf: Tf;
  readonly name: TensorBackendName;
  /** One line for the job log, e.g. "tfjs 4.22.0 on wasm (tfjs-node-gpu not installed)". */
  readonly description: string;
}

let chosen: Promise<TensorBackend> | null = null;

async function tryGpu(): Promise<{ backend: TensorBackend | null; note: string }> {
  const moduleName = '@tensorflow/tfjs-node-gpu';
  try {
    process.env.TF_FORCE_GPU_ALLOW_GROWTH ??= 'true';
    const tf = (await import(/* @vite-ignore */ moduleName)) as Tf;
    await tf.ready();
    const backend = tf.backend() as unknown as { isUsingGpuDevice?: boolean };
    if (tf.getBackend() === 'tensorflow' && backend.isUsingGpuDevice === true) {
      return { backend: { tf, name: 'tensorflow-gpu', description: `tfjs ${tf.version_core} on tensorflow-gpu (CUDA)` }, note: '' };
    }
    return { backend: null, note: 'tfjs-node-gpu found no usable GPU' };
  } catch {
    return { backend: null, note: 'tfjs-node-gpu not installed' };
  }
}

async function choose(): Promise<TensorBackend> {
  const gpu = await tryGpu();
  if (gpu.backend !== null) return gpu.backend;
  const tf = await import('@tensorflow/tfjs');
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const require = createRequire(import.meta.url);
    const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
    wasm.setWasmPaths(`${dist}${path.sep}`);
    if (await tf.setBackend('wasm')) {
      await tf.ready();
      return { tf, name: 'wasm', description: `tfjs ${tf.version_core} on wasm (${gpu.note})` };
    }
  } catch {
    // Fall through to the pure-JS backend.
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return { tf, name: 'cpu', description: `tfjs ${tf.version_core} on cpu (${gpu.note}; wasm unavailable)` };
}

/** The process-wide tfjs backend (chosen on first call). */
export function getTensorBackend(): Promise<TensorBackend> {
  chosen ??= choose();
  return chosen;
}
