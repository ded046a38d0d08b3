/** Choosing a compute backend: 'native' (C++/Eigen), 'js' (pure TypeScript) or 'auto'. */
import { jsBackend } from './core/js/index.js';
import { loadNative } from './core/native-loader.js';
import { nativeBackend } from './core/native.js';
import type { Backend } from './core/types.js';

export type BackendChoice = 'native' | 'js' | 'auto';

let warned = false;

/**
 * The backend for a choice. 'auto' (the default) means native when a binary loads, else the JS
 * backend with a one-line warning; the environment variable TRPO_BACKEND=js|native replaces 'auto'.
 * 'native' throws when no binary loads, saying why and how to build one.
 */
export function resolveBackend(choice: BackendChoice = 'auto'): Backend {
  if (choice !== 'native' && choice !== 'js' && choice !== 'auto') {
    throw new RangeError(`backend: expected 'native', 'js' or 'auto', got ${JSON.stringify(choice)}`);
  }
  let effective = choice;
  if (choice === 'auto' && process.env.TRPO_BACKEND) {
    const env = process.env.TRPO_BACKEND;
    if (env !== 'native' && env !== 'js') {
      throw new RangeError(`TRPO_BACKEND: expected 'native' or 'js', got ${JSON.stringify(env)}`);
    }
    effective = env;
  }
  if (effective === 'js') return jsBackend;
  const native = nativeBackend();
  if (native) return native;
  const loaded = loadNative();
  const reason = loaded.ok ? 'unknown' : loaded.reason;
  if (effective === 'native') throw new Error(`trpo-node: the native backend is unavailable: ${reason}`);
  if (!warned) {
    warned = true;
    process.emitWarning(`trpo-node: using the pure-JS backend (slower) because ${reason}`, { code: 'TRPO_NO_NATIVE' });
  }
  return jsBackend;
}

/** Whether the native backend can be used here, and details of the loaded binary. */
export function nativeInfo(): { available: boolean; reason?: string; path?: string; variant?: string; simd?: string; sourceHash?: string; threads?: number } {
  const loaded = loadNative();
  if (!loaded.ok) return { available: false, reason: loaded.reason };
  return {
    available: true, path: loaded.path, variant: loaded.info.variant, simd: loaded.info.simd,
    sourceHash: loaded.info.sourceHash, threads: loaded.binding.numThreads(),
  };
}

/** Threads the native backend uses for large batches (default: the CPU count, or TRPO_NUM_THREADS). */
export function setNativeThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads: expected a positive integer, got ${String(threads)}`);
  const loaded = loadNative();
  if (!loaded.ok) throw new Error(`trpo-node: the native backend is unavailable: ${loaded.reason}`);
  loaded.binding.setNumThreads(threads);
}
