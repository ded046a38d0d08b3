/**
 * Choosing a compute backend without touching Node: the pure-JS backend is always there; the
 * native one is a provider that `./backend.ts` (the Node entry's module) registers when it is
 * imported. Without it (the browser entry), 'auto' is the JS backend and 'native' throws.
 */
import { jsBackend } from './core/js/index.js';
import type { Backend } from './core/types.js';

/**
 * Which compute backend to use: 'native' (C++/Eigen through N-API; throws when no binary loads),
 * 'js' (pure TypeScript, float64) or 'auto' (native when a binary loads, else js with a warning).
 */
export type BackendChoice = 'native' | 'js' | 'auto';

/** Loads the native backend, or says why it cannot; `warn` prints a one-line warning once. */
export interface NativeProvider {
  load(): { backend: Backend } | { reason: string };
  warn(message: string): void;
}

let provider: NativeProvider | null = null;
let warned = false;

/** Called by ./backend.ts: makes 'native' and 'auto' try the compiled core. */
export function registerNativeProvider(p: NativeProvider): void {
  provider = p;
}

/** TRPO_BACKEND from the environment, where there is one (Node). */
function envChoice(): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env?.TRPO_BACKEND || undefined;
}

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
  const env = choice === 'auto' ? envChoice() : undefined;
  if (env !== undefined) {
    if (env !== 'native' && env !== 'js') {
      throw new RangeError(`TRPO_BACKEND: expected 'native' or 'js', got ${JSON.stringify(env)}`);
    }
    effective = env;
  }
  if (effective === 'js') return jsBackend;
  if (provider === null) {
    if (effective === 'native') throw new Error('trpo-node: the native backend is unavailable: this build (trpo-node/browser) has only the pure-JS backend');
    return jsBackend;
  }
  const loaded = provider.load();
  if ('backend' in loaded) return loaded.backend;
  if (effective === 'native') throw new Error(`trpo-node: the native backend is unavailable: ${loaded.reason}`);
  if (!warned) {
    warned = true;
    provider.warn(`trpo-node: using the pure-JS backend (slower) because ${loaded.reason}`);
  }
  return jsBackend;
}
