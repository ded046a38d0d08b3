/**
 * Lazy loading of the MuJoCo engine (`@mujoco/mujoco` 3.14.0, Google DeepMind's WASM build).
 *
 * Importing trpo-node does not load the WASM: it is loaded by the first `loadMujoco()` (also
 * called by `makeAsync`, `prepareEnv`, `makeVecEnv` and the worker-thread vector env for MuJoCo
 * ids). Emscripten's factory is asynchronous in Node (it awaits a dynamic import before
 * instantiating the module), so the engine cannot be loaded inside the synchronous `make`:
 * call `await loadMujoco()` once, after which `make('Hopper-v5')` works synchronously.
 * Each process and each worker thread has its own instance.
 */
import type { MainModule } from '@mujoco/mujoco';

/** The loaded engine module (`@mujoco/mujoco`'s `MainModule`). */
export type MujocoModule = MainModule;

let loading: Promise<MujocoModule> | undefined;
let loaded: MujocoModule | undefined;

/**
 * Load the MuJoCo WASM engine once per thread (later calls return the same module). Needed
 * before a synchronous `make` of a MuJoCo env; `makeVecEnv` and `makeAsync` call it for you.
 */
export function loadMujoco(): Promise<MujocoModule> {
  if (!loading) {
    loading = (async () => {
      let factory: (options?: unknown) => Promise<MujocoModule>;
      try {
        factory = (await import('@mujoco/mujoco')).default as (options?: unknown) => Promise<MujocoModule>;
      } catch (e) {
        throw new Error(`loadMujoco: cannot import the MuJoCo engine package @mujoco/mujoco (npm install @mujoco/mujoco@3.14.0): ${(e as Error).message}`, { cause: e });
      }
      const mj = await factory();
      loaded = mj;
      return mj;
    })();
    // A failed load may be retried.
    loading.catch(() => {
      loading = undefined;
    });
  }
  return loading;
}

/** True once `loadMujoco()` has resolved in this thread. */
export function isMujocoLoaded(): boolean {
  return loaded !== undefined;
}

/** The loaded engine; throws a clear error naming `who` if `loadMujoco()` has not resolved yet. */
export function mujocoModule(who: string): MujocoModule {
  if (loaded) return loaded;
  throw new Error(
    `${who}: the MuJoCo engine is not loaded yet (loading WebAssembly is asynchronous). ` +
      `Call \`await loadMujoco()\` once before make(), or use \`await makeAsync(id)\` / \`await makeVecEnv(id)\`, which load it.`,
  );
}

/** MuJoCo's version string as reported by the loaded engine (e.g. "3.14.0"). */
export function mujocoVersion(): string {
  return mujocoModule('mujocoVersion').mj_versionString();
}
