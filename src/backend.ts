/** Choosing a compute backend: 'native' (C++/Eigen), 'js' (pure TypeScript) or 'auto'. Node only: it registers the native loader with ./backend-choice.ts. */
import { registerNativeProvider } from './backend-choice.js';
import { loadNative } from './core/native-loader.js';
import { nativeBackend } from './core/native.js';

export { resolveBackend, type BackendChoice } from './backend-choice.js';

registerNativeProvider({
  load() {
    const native = nativeBackend();
    if (native) return { backend: native };
    const loaded = loadNative();
    return { reason: loaded.ok ? 'unknown' : loaded.reason };
  },
  warn(message) {
    process.emitWarning(message, { code: 'TRPO_NO_NATIVE' });
  },
});

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
