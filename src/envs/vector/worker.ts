import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { actionDim, spaceFromJSON, type ActionSpace, type ObservationSpace } from '../spaces.js';
import { packedSize } from '../flatten.js';
import { isModuleRef, sourceName, type EnvBuildOptions, type EnvModuleRef } from './env-source.js';
import type { RunningEpisodesSource, VecEnv, VecInfo, VecResetArgs, VecRunningEpisodes, VecStepResult } from './vec-env.js';
import { assertActionBatch } from './vec-env.js';
import { deserializeError, type FromWorker, type ToWorker, type WorkerInit } from './worker-protocol.js';

/** Options of `WorkerVectorEnv.create`. */
export interface WorkerVectorEnvOptions extends EnvBuildOptions {
  /** Number of envs (a positive integer). */
  nEnvs: number;
  /** Number of worker threads (default: min(nEnvs, available parallelism)); envs are split into contiguous slices. */
  workers?: number;
  /** Seed used by the first `reset()` that gives none (env i gets seed + i). */
  seed?: number;
  /**
   * A worker whose reset()/step() has not answered after this many milliseconds is terminated and
   * the call rejects, naming the worker and its envs (default: no limit). The vector env is then
   * broken (later calls reject); close() still works.
   */
  stepTimeoutMs?: number;
}

const IS_TS = import.meta.url.endsWith('.ts');

/**
 * How to start a worker. From compiled JS: the worker-entry.js next to this module. When
 * TypeScript must be loaded (this module is a .ts source under vitest/tsx, or the user's env
 * module is .ts), a tiny eval'd bootstrap registers tsx's ESM hooks inside the worker and then
 * imports the entry (tsx's `--import tsx` preload does not hook worker threads on Node 20).
 */
function workerScript(needTs: boolean): { script: URL | string; eval: boolean } {
  const entry = new URL(IS_TS ? './worker-entry.ts' : './worker-entry.js', import.meta.url);
  if (!needTs) return { script: entry, eval: false };
  let api: string;
  try {
    const req = createRequire(import.meta.url);
    const pkgJson = req.resolve('tsx/package.json');
    const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
    api = pathToFileURL(join(dirname(pkgJson), pkg.exports['./esm/api'].import.default)).href;
  } catch {
    throw new Error('WorkerVectorEnv: loading TypeScript in worker threads needs the "tsx" package (npm install --save-dev tsx)');
  }
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`;
  return { script: code, eval: true };
}

/** `Omit` that distributes over a union. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

/** One worker thread hosting envs [offset, offset + count). */
class WorkerHandle {
  readonly worker: Worker;
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | null = null;
  private closing = false;
  private readonly label: string;
  private failWith: (err: Error) => void = () => {};
  readonly ready: Promise<{ observationSpace: ObservationSpace; actionSpace: ActionSpace }>;

  constructor(
    readonly index: number,
    readonly offset: number,
    readonly count: number,
    init: WorkerInit,
    start: { script: URL | string; eval: boolean },
  ) {
    this.worker = new Worker(start.script, { workerData: init, eval: start.eval });
    const label = `WorkerVectorEnv worker ${index} (envs ${offset}..${offset + count - 1})`;
    this.label = label;
    this.ready = new Promise((resolve, reject) => {
      let started = false;
      this.worker.on('message', (msg: FromWorker) => {
        if (msg.type === 'ready') {
          started = true;
          this.worker.unref();
          resolve({ observationSpace: spaceFromJSON(msg.observationSpace), actionSpace: spaceFromJSON(msg.actionSpace) as ActionSpace });
        } else if (msg.type === 'init-error') {
          reject(deserializeError(msg.error, `${label} could not create its envs: `));
        } else if (msg.type === 'result' || msg.type === 'error') {
          const p = this.pending.get(msg.id);
          if (!p) return;
          this.pending.delete(msg.id);
          if (this.pending.size === 0) this.worker.unref();
          if (msg.type === 'result') p.resolve(msg.value);
          else p.reject(deserializeError(msg.error, '', ` (in ${label})`));
        }
      });
      const fail = (err: Error): void => {
        if (this.failure) return;
        this.failure = err;
        if (!started) reject(err);
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
      };
      this.failWith = fail;
      this.worker.on('error', (err) => fail(new Error(`${label} crashed: ${err instanceof Error ? err.message : String(err)}`, { cause: err })));
      this.worker.on('messageerror', (err) => fail(new Error(`${label}: a message could not be deserialized: ${err.message}`, { cause: err })));
      this.worker.on('exit', (code) => {
        if (!this.closing) fail(new Error(`${label} exited unexpectedly with code ${code}`));
      });
    });
    // Avoid an unhandled rejection if nobody awaits `ready` (create() always does).
    this.ready.catch(() => {});
  }

  request<T>(msg: WithoutId<ToWorker>, transfer: ArrayBuffer[] = [], timeoutMs?: number): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const reply = new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.ref();
      this.worker.postMessage({ ...msg, id } as ToWorker, transfer);
    });
    if (timeoutMs === undefined) return reply;
    // A hung env (an endless loop in step) never answers: stop its thread, fail this and later calls.
    const timer = setTimeout(() => {
      this.failWith(new Error(`${this.label}: ${msg.type}() did not return within stepTimeoutMs = ${timeoutMs} ms; the worker was terminated`));
      this.closing = true;
      void this.worker.terminate();
    }, timeoutMs);
    return reply.finally(() => clearTimeout(timer));
  }

  async close(): Promise<void> {
    if (!this.failure && !this.closing) {
      try {
        await Promise.race([this.request({ type: 'close' }), new Promise((r) => setTimeout(r, 5000).unref())]);
      } catch {
        // the env's close() failed or the worker died; terminate below anyway
      }
    }
    this.closing = true;
    await this.worker.terminate();
  }
}

/**
 * Steps its envs in `worker_threads` (for expensive simulators), each worker hosting a
 * `SyncVectorEnv` over a contiguous slice. Results are identical to `SyncVectorEnv` for the
 * same seeds. Envs are named by registered id (built-ins) or `{ modulePath, exportName }` (user
 * envs; factories cannot cross threads). A worker that throws or exits rejects the pending
 * Promise with an error naming it. Create with `await WorkerVectorEnv.create(...)`.
 */
export class WorkerVectorEnv implements VecEnv, RunningEpisodesSource {
  readonly observationSpace: ObservationSpace;
  readonly actionSpace: ActionSpace;
  readonly obsDim: number;
  readonly actDim: number;
  private busy = false;
  private closed = false;
  private pendingSeed: number | undefined;

  private constructor(
    /** Number of envs stepped together. */
    readonly numEnvs: number,
    private readonly handles: WorkerHandle[],
    spaces: { observationSpace: ObservationSpace; actionSpace: ActionSpace },
    seed: number | undefined,
    private readonly stepTimeoutMs: number | undefined,
  ) {
    this.observationSpace = spaces.observationSpace;
    this.actionSpace = spaces.actionSpace;
    this.obsDim = packedSize(this.observationSpace);
    this.actDim = actionDim(this.actionSpace);
    this.pendingSeed = seed;
  }

  /** Number of worker threads. */
  get numWorkers(): number {
    return this.handles.length;
  }

  /**
   * Start the workers and wait until every env is built.
   * @throws RangeError (as a rejection) for a bad nEnvs, workers or stepTimeoutMs; TypeError for an env given as a factory (name it by id or module); Error naming the env when a worker cannot build it.
   */
  static async create(source: string | EnvModuleRef, options: WorkerVectorEnvOptions): Promise<WorkerVectorEnv> {
    const nEnvs = options.nEnvs;
    if (!Number.isInteger(nEnvs) || nEnvs <= 0) throw new RangeError(`WorkerVectorEnv: nEnvs must be a positive integer, got ${String(nEnvs)}`);
    if (typeof source !== 'string' && !isModuleRef(source)) {
      throw new TypeError(`WorkerVectorEnv: envs in workers must be named by a registered id or { modulePath, exportName }, got ${String(source)}`);
    }
    const timeout = options.stepTimeoutMs;
    if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout > 0) || !Number.isFinite(timeout))) {
      throw new RangeError(`WorkerVectorEnv: stepTimeoutMs must be a positive finite number of milliseconds, got ${String(timeout)}`);
    }
    const nWorkers = Math.min(nEnvs, options.workers ?? availableParallelism());
    if (!Number.isInteger(nWorkers) || nWorkers <= 0) throw new RangeError(`WorkerVectorEnv: workers must be a positive integer, got ${String(options.workers)}`);
    const plain = typeof source === 'string' ? source : { modulePath: source.modulePath, exportName: source.exportName };
    const needTs = IS_TS || (isModuleRef(source) && /\.[cm]?ts$/.test(source.modulePath));
    const start = workerScript(needTs);
    const handles: WorkerHandle[] = [];
    let offset = 0;
    for (let w = 0; w < nWorkers; w++) {
      const count = Math.floor(nEnvs / nWorkers) + (w < nEnvs % nWorkers ? 1 : 0);
      const init: WorkerInit = { source: plain, offset, count, envOptions: options.envOptions, maxEpisodeSteps: options.maxEpisodeSteps };
      handles.push(new WorkerHandle(w, offset, count, init, start));
      offset += count;
    }
    try {
      const spaces = await Promise.all(handles.map((h) => h.ready));
      return new WorkerVectorEnv(nEnvs, handles, spaces[0], options.seed, timeout);
    } catch (e) {
      await Promise.all(handles.map((h) => h.close().catch(() => {})));
      throw new Error(`WorkerVectorEnv(${sourceName(source)}): ${(e as Error).message}`, { cause: e });
    }
  }

  async reset(args: VecResetArgs = {}): Promise<Float64Array> {
    const seed = args.seed ?? this.pendingSeed;
    if (seed !== undefined && !Number.isInteger(seed)) throw new TypeError(`WorkerVectorEnv.reset: seed must be an integer, got ${String(seed)}`);
    this.pendingSeed = undefined;
    const parts = await this.run((h) =>
      // Each worker's SyncVectorEnv adds its global offset: env i gets seed + i.
      h.request<Float64Array>({ type: 'reset', args: { seed, options: args.options } }, [], this.stepTimeoutMs),
    );
    const out = new Float64Array(this.numEnvs * this.obsDim);
    this.handles.forEach((h, k) => out.set(parts[k], h.offset * this.obsDim));
    return out;
  }

  async step(actions: Float64Array): Promise<VecStepResult> {
    assertActionBatch('WorkerVectorEnv', actions, this.numEnvs, this.actDim);
    const parts = await this.run((h) => {
      const slice = Float64Array.from(actions.slice(h.offset * this.actDim, (h.offset + h.count) * this.actDim));
      return h.request<VecStepResult>({ type: 'step', actions: slice }, [slice.buffer], this.stepTimeoutMs);
    });
    const n = this.numEnvs;
    const observations = new Float64Array(n * this.obsDim);
    const rewards = new Float64Array(n);
    const terminated = new Uint8Array(n);
    const truncated = new Uint8Array(n);
    const infos: VecInfo[] = [];
    this.handles.forEach((h, k) => {
      const r = parts[k];
      observations.set(r.observations, h.offset * this.obsDim);
      rewards.set(r.rewards, h.offset);
      terminated.set(r.terminated, h.offset);
      truncated.set(r.truncated, h.offset);
      infos.push(...r.infos);
    });
    return { observations, rewards, terminated, truncated, infos };
  }

  /**
   * Every env's `getState()` with the running returns and lengths, gathered from the workers in
   * env order: the same value a `SyncVectorEnv` of these envs gives (see
   * `SyncVectorEnv.getRunningEpisodes`), so either kind continues the other's episodes. Null when
   * an env has no `getState()` or its state is not JSON-able.
   */
  async getRunningEpisodes(): Promise<VecRunningEpisodes | null> {
    const parts = await this.run((h) => h.request<VecRunningEpisodes | null>({ type: 'getRunningEpisodes' }, [], this.stepTimeoutMs));
    if (parts.some((p) => p === null)) return null;
    const all = parts as VecRunningEpisodes[];
    return { envs: all.flatMap((p) => p.envs), returns: all.flatMap((p) => p.returns), lengths: all.flatMap((p) => p.lengths) };
  }

  /**
   * Put the envs into `getRunningEpisodes()` output (of a worker or a sync vector env of this
   * size): each worker restores its slice. Rejects with a TypeError for a state of another size or
   * an env without `setState()`.
   */
  async setRunningEpisodes(state: VecRunningEpisodes): Promise<void> {
    const n = this.numEnvs;
    const s = state as Partial<VecRunningEpisodes> | null;
    const sized = (a: unknown): a is unknown[] => Array.isArray(a) && a.length === n;
    if (typeof s !== 'object' || s === null || !sized(s.envs) || !sized(s.returns) || !sized(s.lengths)) {
      throw new TypeError(`WorkerVectorEnv.setRunningEpisodes: expected { envs, returns, lengths } for ${n} envs, as from getRunningEpisodes()`);
    }
    this.pendingSeed = undefined;
    await this.run((h) => {
      const cut = <T>(a: T[]): T[] => a.slice(h.offset, h.offset + h.count);
      const slice: VecRunningEpisodes = { envs: cut(s.envs!), returns: cut(s.returns as number[]), lengths: cut(s.lengths as number[]) };
      return h.request<null>({ type: 'setRunningEpisodes', state: slice }, [], this.stepTimeoutMs);
    });
  }

  /** Close the envs and stop the workers. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.handles.map((h) => h.close()));
  }

  private async run<T>(f: (h: WorkerHandle) => Promise<T>): Promise<T[]> {
    if (this.closed) throw new Error('WorkerVectorEnv: the vector env is closed');
    if (this.busy) throw new Error('WorkerVectorEnv: reset()/step() called before the previous call resolved');
    this.busy = true;
    try {
      // Wait for every worker (so none is still busy) before reporting the first failure.
      const settled = await Promise.allSettled(this.handles.map(f));
      const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed) throw failed.reason;
      return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
    } finally {
      this.busy = false;
    }
  }
}
