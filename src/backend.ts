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

/** What `nativeInfo()` reports about the native backend. */
export interface NativeInfo {
  /** Whether a native binary loaded on this machine (false: every backend 'auto' is the JS one). */
  available: boolean;
  /** Why no binary loaded (missing build/prebuild, wrong platform, load error), when `available` is false. */
  reason?: string;
  /** The absolute path of the loaded `.node` file (a source build in build/Release/ or a prebuild). */
  path?: string;
  /** Which build loaded: 'baseline' (x86-64 SSE2, or the arm64 one) or 'avx2' (x86-64 AVX2 + FMA, preferred when the CPU has both). */
  variant?: string;
  /** The SIMD instruction sets Eigen uses in that binary (Eigen's SimdInstructionSetsInUse(), e.g. 'SSE, SSE2, AVX2, FMA'). */
  simd?: string;
  /** Hash of the C++ sources the binary was built from (tells a stale prebuild from a current one). */
  sourceHash?: string;
  /** Threads the native backend uses for large batches (see setNativeThreads). */
  threads?: number;
}

/**
 * Whether the native backend can be used here, and details of the loaded binary. Loads the binary
 * on first use (TRPO_NATIVE_VARIANT and TRPO_NATIVE_DIR apply); never throws: a failure is
 * reported in `reason`.
 */
export function nativeInfo(): NativeInfo {
  const loaded = loadNative();
  if (!loaded.ok) return { available: false, reason: loaded.reason };
  return {
    available: true, path: loaded.path, variant: loaded.info.variant, simd: loaded.info.simd,
    sourceHash: loaded.info.sourceHash, threads: loaded.binding.numThreads(),
  };
}

/**
 * Threads the native backend uses for large batches (default: the CPU count, or TRPO_NUM_THREADS).
 * @throws RangeError when `threads` is not a positive integer; Error when the native backend is unavailable.
 */
export function setNativeThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads: expected a positive integer, got ${String(threads)}`);
  const loaded = loadNative();
  if (!loaded.ok) throw new Error(`trpo-node: the native backend is unavailable: ${loaded.reason}`);
  loaded.binding.setNumThreads(threads);
}
