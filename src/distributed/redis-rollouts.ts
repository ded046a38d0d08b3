/**
 * The learner's side of distributed rollouts: one BullMQ job per segment of env slots per update,
 * on Redis; stateless workers (worker.ts) run them. See the README's "Distributed rollouts".
 *
 * Each update: the slots' states are read from the trainer's env (the authoritative copy), the
 * sampling noise of the whole rollout is drawn from the trainer's generator in the order a local
 * rollout draws it, and every segment's job carries its slots, its noise and the networks. When
 * all segments are back, their transitions are written into the trainer's buffer at their slots'
 * columns, the episodes are added in (step, slot) order and the slots' new states are written
 * back into the env. So without VecNormalize the update is bit-identical to a local rollout.
 *
 * With VecNormalize the statistics are frozen during the rollout: every segment normalizes with
 * the statistics of the update's start, gathers its own statistics of the raw observations and
 * discounted returns, and the learner merges them into the env's statistics in slot order
 * (Chan et al.'s parallel formula) after the rollout.
 */
import { randomUUID } from 'node:crypto';
import { Job, Queue, QueueEvents } from 'bullmq';
import { VecNormalize } from '../envs/vector/normalize.js';
import type { RunningMeanStd, RunningMeanStdState } from '../envs/vector/running-mean-std.js';
import { SyncVectorEnv } from '../envs/vector/sync.js';
import type { VecEnv } from '../envs/vector/vec-env.js';
import { isModuleRef, type EnvModuleRef } from '../envs/vector/env-source.js';
import { CategoricalMlpPolicy } from '../policies.js';
import type { RolloutResult } from '../trpo/rollout.js';
import type { RolloutRequest, RolloutSource } from '../trpo/rollout-source.js';
import * as v from '../validate.js';
import { decodeFrame, encodeFrame, type FrameArray } from './codec.js';
import { DEFAULT_QUEUE, PROTOCOL_VERSION, packageVersion, type EnvSpec, type EpisodeRecord, type RolloutJobMeta, type RolloutResultMeta } from './protocol.js';
import { checkRedisReachable, connectionOptions, parseRedisUrl, type RedisTarget } from './redis-url.js';

/** Options of `RedisRollouts` (and of TRPO's `rollouts` option). */
export interface RedisRolloutsOptions {
  /** Redis URL, e.g. `redis://127.0.0.1:6379`. */
  redis: string;
  /** Jobs per update: the env slots are split into this many contiguous segments (default 1, at most nEnvs). */
  segments?: number;
  /** BullMQ queue name (default 'trpo-rollouts'); workers must use the same. */
  queue?: string;
  /** The env the workers build: an id, or `{ modulePath, exportName }` (default: the trainer env's id). */
  env?: string | EnvModuleRef;
  /** Passed to each env's constructor on the workers (as makeVecEnv's envOptions). */
  envOptions?: Record<string, unknown>;
  /** Time limit override on the workers (as makeVecEnv's maxEpisodeSteps). */
  maxEpisodeSteps?: number | null;
  /**
   * Evaluate the networks on nEnvs rows on the workers, the segment's slots at their own rows
   * (default true): the native kernels then give bit-identical numbers to a local rollout. false
   * computes on the segment's rows only (less work for many segments; equal up to rounding).
   */
  exact?: boolean;
  /** Attempts per job before the update fails (default 3). */
  attempts?: number;
  /** First retry delay in ms, doubled per attempt (default 500). */
  backoffMs?: number;
  /** Fail the update when a rollout has not come back within this many ms (default null: wait for workers). */
  timeoutMs?: number | null;
  /** How often pending jobs are checked in Redis besides the completion events, in ms (default 1000). */
  pollMs?: number;
  /** Time to reach Redis at connect(), in ms (default 3000). */
  connectTimeoutMs?: number;
}

const KEYS = ['redis', 'segments', 'queue', 'env', 'envOptions', 'maxEpisodeSteps', 'exact', 'attempts', 'backoffMs', 'timeoutMs', 'pollMs', 'connectTimeoutMs'];

/** RedisRolloutsOptions after validation and defaults, with the Redis URL parsed (`RedisRollouts.options`). */
export interface ResolvedRedisRolloutsOptions {
  /** The parsed Redis URL. */
  target: RedisTarget;
  /** Jobs per update (contiguous segments of env slots). */
  segments: number;
  /** BullMQ queue name. */
  queue: string;
  /** The env the workers build, or null for the trainer env's id. */
  env: string | EnvModuleRef | null;
  /** Options for each env's constructor on the workers. */
  envOptions?: Record<string, unknown>;
  /** Time limit override on the workers. */
  maxEpisodeSteps?: number | null;
  /** Whether workers evaluate the networks on all nEnvs rows (bit-identical to a local rollout). */
  exact: boolean;
  /** Attempts per job before the update fails. */
  attempts: number;
  /** First retry delay in ms (doubled per attempt). */
  backoffMs: number;
  /** Rollout timeout in ms, or null (wait for workers). */
  timeoutMs: number | null;
  /** Interval of the Redis checks of pending jobs, in ms. */
  pollMs: number;
  /** Time allowed to reach Redis at connect(), in ms. */
  connectTimeoutMs: number;
}

const W = 'RedisRollouts';

function resolve(options: unknown): ResolvedRedisRolloutsOptions {
  const o = v.object(options, `${W}: options`);
  v.knownKeys(o, KEYS, `${W}: options`);
  const int = (k: string, d: number, min: number): number => {
    const x = o[k] ?? d;
    if (!Number.isInteger(x) || (x as number) < min) throw new RangeError(`${W}: options.${k}: expected an integer >= ${min}, got ${v.describe(x)}`);
    return x as number;
  };
  const env = o.env ?? null;
  if (env !== null && typeof env !== 'string' && !isModuleRef(env)) throw new TypeError(`${W}: options.env: expected an env id or { modulePath, exportName }, got ${v.describe(env)}`);
  if (o.exact !== undefined && typeof o.exact !== 'boolean') throw new TypeError(`${W}: options.exact: expected a boolean, got ${v.describe(o.exact)}`);
  if (o.queue !== undefined && (typeof o.queue !== 'string' || o.queue.length === 0 || o.queue.includes(':'))) throw new TypeError(`${W}: options.queue: expected a non-empty name without ':', got ${v.describe(o.queue)}`);
  const timeout = o.timeoutMs ?? null;
  if (timeout !== null && !(typeof timeout === 'number' && timeout > 0)) throw new RangeError(`${W}: options.timeoutMs: expected a positive number of ms or null, got ${v.describe(timeout)}`);
  return {
    target: parseRedisUrl(o.redis, `${W}: options.redis`),
    segments: int('segments', 1, 1),
    queue: (o.queue as string | undefined) ?? DEFAULT_QUEUE,
    env: env as string | EnvModuleRef | null,
    envOptions: o.envOptions as Record<string, unknown> | undefined,
    maxEpisodeSteps: o.maxEpisodeSteps as number | null | undefined,
    exact: (o.exact as boolean | undefined) ?? true,
    attempts: int('attempts', 3, 1),
    backoffMs: int('backoffMs', 500, 0),
    timeoutMs: timeout as number | null,
    pollMs: int('pollMs', 1000, 10),
    connectTimeoutMs: int('connectTimeoutMs', 3000, 1),
  };
}

/** The trainer env's slots: its SyncVectorEnv (under its VecNormalize, if any). */
function slotsOf(env: VecEnv): { sync: SyncVectorEnv; vn: VecNormalize | null } {
  const vn = env instanceof VecNormalize ? env : null;
  const inner = vn ? vn.venv : env;
  if (!(inner instanceof SyncVectorEnv)) {
    throw new TypeError(`${W}: the trainer's env must be a SyncVectorEnv (makeVecEnv(id, { nEnvs }) without workers, optionally normalized): it holds the env slots' states between updates`);
  }
  return { sync: inner, vn };
}

/** Contiguous segments of n slots, sizes differing by at most one: [start, count][]. */
export function splitSlots(n: number, segments: number): [number, number][] {
  const k = Math.min(n, segments);
  const out: [number, number][] = [];
  let start = 0;
  for (let s = 0; s < k; s++) {
    const count = Math.floor(n / k) + (s < n % k ? 1 : 0);
    out.push([start, count]);
    start += count;
  }
  return out;
}

/** Merge a batch's moments into running statistics (Chan et al.; RunningMeanStd.update's formula). */
export function mergeMoments(rms: RunningMeanStd, b: RunningMeanStdState): void {
  if (b.count <= 0) return;
  const total = rms.count + b.count;
  for (let j = 0; j < rms.dim; j++) {
    const delta = b.mean[j] - rms.mean[j];
    const m2 = rms.var[j] * rms.count + b.var[j] * b.count + ((delta * delta * rms.count * b.count) / total);
    rms.mean[j] += (delta * b.count) / total;
    rms.var[j] = m2 / total;
  }
  rms.count = total;
}

/** Write a compact k-wide time-major array into columns off..off+k-1 of a rows-wide one. */
function scatterColumns(dst: FrameArray, src: FrameArray, steps: number, rows: number, off: number, k: number, width: number): void {
  if (src.length !== steps * k * width || src.constructor !== dst.constructor) {
    throw new TypeError(`${W}: a segment result has ${src.length} values of ${src.constructor.name}, expected ${steps * k * width} of ${dst.constructor.name}`);
  }
  for (let t = 0; t < steps; t++) dst.set(src.subarray(t * k * width, (t + 1) * k * width) as never, (t * rows + off) * width);
}

interface Pending {
  segment: number;
  start: number;
  count: number;
  jobId: string;
  data: { frame: string };
  resubmits: number;
}

/** `p`, or undefined once `deadline` (a performance.now() time) has passed. */
async function withDeadline<T>(p: Promise<T>, deadline: number): Promise<T | undefined> {
  if (deadline === Infinity) return p;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((r) => {
    timer = setTimeout(() => r(undefined), Math.max(0, deadline - performance.now()));
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A rollout source on Redis: `await RedisRollouts.connect({ redis, segments })`, run by `trpo worker`
 * processes (or startRolloutWorker) on any machine.
 *
 * ```ts
 * const rollouts = await RedisRollouts.connect({ redis: 'redis://10.0.0.1:6379', segments: 4 });
 * const model = new TRPO('MlpPolicy', env, { seed: 0, rollouts });   // or rollouts: { redis, segments }
 * await model.learn({ totalTimesteps: 1_000_000 });
 * await rollouts.close();
 * ```
 */
export class RedisRollouts implements RolloutSource {
  /** Jobs re-enqueued because they vanished from Redis (e.g. a Redis restart without persistence). */
  resubmitted = 0;
  /** Figures of the last update: jobs, frame sizes (base64 characters), wall time waiting, time the workers spent in runSegment. */
  lastUpdate: {
    /** Jobs of the update (= segments). */
    jobs: number;
    /** Total size of the job frames, in base64 characters. */
    jobBytes: number;
    /** Total size of the result frames, in base64 characters. */
    resultBytes: number;
    /** Wall time the learner waited for the results, in seconds. */
    waitSeconds: number;
    /** Sum over jobs of the time the workers spent running them, in seconds. */
    workerSeconds: number;
    /** The longest job's worker time, in seconds. */
    maxWorkerSeconds: number;
  } = { jobs: 0, jobBytes: 0, resultBytes: 0, waitSeconds: 0, workerSeconds: 0, maxWorkerSeconds: 0 };
  private readonly runId = randomUUID().slice(0, 8);
  /** Raw observations of the slots after the last rollout (VecNormalize: the next one starts from them). */
  private rawLastObs: Float64Array | null = null;
  private closed = false;
  private warnedNoWorkers = false;

  private constructor(
    /** The options after validation and defaults. */
    readonly options: Readonly<ResolvedRedisRolloutsOptions>,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
  ) {}

  /**
   * Validate the options, check that Redis answers (a clear error within connectTimeoutMs), open the queue.
   * @throws TypeError/RangeError (as a rejection) naming the option; Error when Redis cannot be reached.
   */
  static async connect(options: RedisRolloutsOptions): Promise<RedisRollouts> {
    const r = resolve(options);
    await checkRedisReachable(r.target, W, r.connectTimeoutMs);
    const connection = connectionOptions(r.target);
    const queue = new Queue(r.queue, { connection, streams: { events: { maxLen: 50 } } });
    const events = new QueueEvents(r.queue, { connection });
    queue.on('error', () => {}); // reconnects; commands wait (maxRetriesPerRequest null)
    events.on('error', () => {});
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    return new RedisRollouts(r, queue, events);
  }

  /** Workers currently connected to the queue (BullMQ's client list). */
  async workerCount(): Promise<number> {
    return (await this.queue.getWorkers()).length;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([this.events.close(), this.queue.close()]);
  }

  private envSpec(sync: SyncVectorEnv): EnvSpec {
    const o = this.options;
    const base = { envOptions: o.envOptions, maxEpisodeSteps: o.maxEpisodeSteps };
    if (typeof o.env === 'string') return { id: o.env, ...base };
    if (o.env) return { modulePath: o.env.modulePath, exportName: o.env.exportName, ...base };
    const id = (sync.envs[0] as { id?: unknown }).id;
    if (typeof id !== 'string') throw new TypeError(`${W}: cannot tell the workers which env to build: give options.env (an env id or { modulePath, exportName })`);
    return { id, ...base };
  }

  async collect(req: RolloutRequest): Promise<RolloutResult> {
    if (this.closed) throw new Error(`${W}: closed`);
    const { buf, actor, update } = req;
    const { sync, vn } = slotsOf(req.env);
    const n = buf.nEnvs;
    const nSteps = buf.nSteps;
    const w = actor.actions.dim;
    const od = sync.obsDim;

    // The whole rollout's noise, in the order collectRollout draws it (step by step, slot by slot).
    const noise = new Float64Array(nSteps * n * w);
    if (actor.actions.discrete) for (let i = 0; i < noise.length; i++) noise[i] = actor.rng.uniform();
    else for (let i = 0; i < noise.length; i++) noise[i] = actor.rng.normal();

    const rawLast = vn ? this.rawObservations(vn, req.lastObs) : req.lastObs;
    const normalization = vn ? vn.getState() : null;
    const episodeState = sync.getEpisodeState();
    const envStates = sync.envs.map((e, i) => {
      if (typeof e.getState !== 'function') throw new TypeError(`${W}: env ${i} has no getState(); distributed rollouts need envs with getState/setState`);
      return e.getState();
    });
    const policy = actor.policy;
    const network: RolloutJobMeta['network'] = {
      kind: policy instanceof CategoricalMlpPolicy ? 'categorical' : 'gaussian',
      policyHidden: [...policy.hiddenSizes], valueHidden: [...actor.valueFunction.hiddenSizes], backend: policy.backend, dtype: policy.dtype,
    };
    const policyParams = policy.getParameters();
    const valueParams = actor.valueFunction.getParameters();
    const env = this.envSpec(sync);

    const pending: Pending[] = splitSlots(n, this.options.segments).map(([start, count], segment) => {
      const meta: RolloutJobMeta = {
        protocol: PROTOCOL_VERSION, packageVersion: packageVersion(), env,
        observationSpace: sync.observationSpace.toJSON(), actionSpace: sync.actionSpace.toJSON(), network,
        nSteps, nEnvs: n, slotStart: start, slotCount: count, exact: this.options.exact,
        envStates: JSON.parse(JSON.stringify(envStates.slice(start, start + count))) as unknown[],
        episodeState: { returns: episodeState.returns.slice(start, start + count), lengths: episodeState.lengths.slice(start, start + count) },
        normalization: normalization && { ...normalization, returns: normalization.returns?.slice(start, start + count) ?? null },
        update, segment,
      };
      const segNoise = new Float64Array(nSteps * count * w);
      for (let t = 0; t < nSteps; t++) segNoise.set(noise.subarray((t * n + start) * w, (t * n + start + count) * w), t * count * w);
      const frame = encodeFrame(meta, { policy: policyParams, value: valueParams, noise: segNoise, lastObs: rawLast.slice(start * od, (start + count) * od) });
      return { segment, start, count, jobId: `${this.runId}-u${update}-s${segment}`, data: { frame }, resubmits: 0 };
    });

    const t0 = performance.now();
    const results = await this.runJobs(pending);
    const waitSeconds = (performance.now() - t0) / 1000;

    // All segments are back: write them into the buffer, then the slots' states into the env.
    const episodes: EpisodeRecord[] = [];
    const decoded = pending.map((p, i) => {
      const f = decodeFrame(results[i], `${W}: the result of segment ${p.segment}`);
      const m = f.meta as RolloutResultMeta;
      if (m.protocol !== PROTOCOL_VERSION) throw new Error(`${W}: segment ${p.segment} came back in protocol ${m.protocol}, expected ${PROTOCOL_VERSION}`);
      if (m.envStates?.length !== p.count || m.episodeState?.returns?.length !== p.count || (vn !== null && m.statistics === null)) {
        throw new Error(`${W}: segment ${p.segment} came back incomplete (env states, episodes or statistics of ${p.count} slots expected)`);
      }
      const a = f.arrays;
      const od2 = buf.lastObs.length / n;
      scatterColumns(buf.obs, a.obs, nSteps, n, p.start, p.count, od2);
      scatterColumns((buf.actionsI ?? buf.actionsF)!, a.actions, nSteps, n, p.start, p.count, w);
      for (const k of ['logProbs', 'values', 'rewards', 'terminated', 'truncated', 'finalValues', 'hasFinal'] as const) scatterColumns(buf[k], a[k], nSteps, n, p.start, p.count, 1);
      scatterColumns(buf.lastObs, a.lastObs, 1, n, p.start, p.count, od2);
      scatterColumns(buf.lastValues, a.lastValues, 1, n, p.start, p.count, 1);
      episodes.push(...m.episodes);
      return { p, m, rawLastObs: a.rawLastObs as Float64Array };
    });
    const seconds = decoded.map((d) => d.m.seconds);
    this.lastUpdate = {
      jobs: pending.length, jobBytes: pending.reduce((s, p) => s + p.data.frame.length, 0), resultBytes: results.reduce((s, r) => s + r.length, 0),
      waitSeconds, workerSeconds: seconds.reduce((s, x) => s + x, 0), maxWorkerSeconds: Math.max(...seconds),
    };
    episodes.sort((x, y) => x.t - y.t || x.slot - y.slot);
    for (const e of episodes) actor.episodes.add(e.r, e.l);

    const newRaw = new Float64Array(n * od);
    const returns = episodeState.returns.slice();
    const lengths = episodeState.lengths.slice();
    for (const { p, m, rawLastObs } of decoded) {
      m.envStates.forEach((s, j) => sync.envs[p.start + j].setState!(s));
      for (let j = 0; j < p.count; j++) {
        returns[p.start + j] = m.episodeState.returns[j];
        lengths[p.start + j] = m.episodeState.lengths[j];
      }
      newRaw.set(rawLastObs, p.start * od);
    }
    sync.setEpisodeState({ returns, lengths });
    let lastObs: Float64Array = newRaw;
    if (vn) {
      const state = vn.getState();
      const vnReturns = state.returns ?? new Array<number>(n).fill(0);
      for (const { p, m } of decoded) {
        const s = m.statistics!;
        if (vn.training) {
          if (s.obs && vn.normObs) mergeMoments(vn.obsRms, s.obs);
          mergeMoments(vn.retRms, s.ret);
        }
        s.returns.forEach((r, j) => (vnReturns[p.start + j] = r));
      }
      vn.setState({ ...vn.getState(), returns: vnReturns });
      lastObs = vn.normalizeObs(newRaw);
    }
    this.rawLastObs = newRaw;
    return { lastObs, episodes: episodes.length, stopped: false, steps: nSteps };
  }

  /** The raw observations the next rollout starts from (kept from the last one, else unnormalized). */
  private rawObservations(vn: VecNormalize, lastObs: Float64Array): Float64Array {
    const kept = this.rawLastObs;
    if (kept && kept.length === lastObs.length && vn.normalizeObs(kept).every((x, i) => x === lastObs[i])) return kept;
    const orig = vn.originalObservations();
    if (orig && orig.length === lastObs.length && vn.normalizeObs(orig).every((x, i) => x === lastObs[i])) return orig;
    return vn.unnormalizeObs(lastObs);
  }

  /** Enqueue the jobs and wait for all of them; rejects with the first final failure. */
  private async runJobs(pending: Pending[]): Promise<string[]> {
    const o = this.options;
    const jobOpts = {
      attempts: o.attempts, backoff: { type: 'exponential' as const, delay: o.backoffMs },
      removeOnComplete: { age: 3600 }, removeOnFail: { age: 24 * 3600 },
    };
    const add = (p: Pending) => this.queue.add('rollout', p.data, { ...jobOpts, jobId: p.jobId });
    const started = performance.now();
    const deadline = o.timeoutMs === null ? Infinity : started + o.timeoutMs;
    const added = await withDeadline(this.queue.addBulk(pending.map((p) => ({ name: 'rollout', data: p.data, opts: { ...jobOpts, jobId: p.jobId } }))), deadline);
    if (added === undefined) throw new Error(`${W}: could not enqueue the rollout jobs within ${o.timeoutMs! / 1000} s: Redis at ${o.target.url} does not answer`);

    const results: (string | undefined)[] = new Array(pending.length);
    const byId = new Map(pending.map((p, i) => [p.jobId, i]));
    let left = pending.length;
    let wake: (() => void) | null = null;
    let failure: Error | null = null;
    const describe = (p: Pending) => `segment ${p.segment} (${p.count === 1 ? `env slot ${p.start}` : `env slots ${p.start}-${p.start + p.count - 1}`})`;
    const fail = (p: Pending, reason: string, attempts: number) => {
      failure ??= new Error(`${describe(p)} failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${reason}`);
      wake?.();
    };
    const complete = (i: number, value: unknown) => {
      if (results[i] !== undefined) return;
      const frame = (value as { frame?: unknown } | null)?.frame;
      if (typeof frame !== 'string') return; // fetched below by the poll
      results[i] = frame;
      left--;
      wake?.();
    };
    const onCompleted = ({ jobId, returnvalue }: { jobId: string; returnvalue: unknown }) => {
      const i = byId.get(jobId);
      if (i === undefined) return;
      let value = returnvalue;
      if (typeof value === 'string') {
        try {
          value = JSON.parse(value);
        } catch {
          /* fetched by the poll */
        }
      }
      complete(i, value);
    };
    const onFailed = ({ jobId }: { jobId: string }) => {
      if (byId.has(jobId)) wake?.(); // the poll reads whether it is final
    };
    this.events.on('completed', onCompleted);
    this.events.on('failed', onFailed);
    try {
      while (left > 0 && failure === null) {
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, Math.min(o.pollMs, Math.max(0, deadline - performance.now()))).unref();
        });
        wake = null;
        if (left === 0 || failure !== null) break;
        // Redis commands wait through an outage; the deadline (if any) still holds.
        await withDeadline(this.poll(pending, results, complete, fail, add), deadline);
        if (!this.warnedNoWorkers && left > 0 && performance.now() - started > 5000) {
          this.warnedNoWorkers = true;
          const n = await withDeadline(this.workerCount(), performance.now() + 1000).catch(() => undefined);
          if (n === 0) process.emitWarning(`RedisRollouts: no worker is connected to queue '${o.queue}' at ${o.target.url}; waiting for one (start workers with \`trpo worker --redis ${o.target.url}\`)`, { code: 'TRPO_NO_WORKERS' });
        }
        if (left > 0 && failure === null && performance.now() >= deadline) {
          const missing = pending.filter((_, i) => results[i] === undefined).map(describe);
          const workers = await withDeadline(this.workerCount(), performance.now() + 1000).then((n) => n ?? -1, () => -1);
          throw new Error(`${W}: no result within ${o.timeoutMs! / 1000} s for ${missing.join(', ')} (${workers >= 0 ? `${workers} worker(s) connected to queue '${o.queue}'` : 'Redis does not answer'}; start workers with \`trpo worker --redis ${o.target.url}\`)`);
        }
      }
      if (failure) throw failure;
      return results as string[];
    } finally {
      this.events.off('completed', onCompleted);
      this.events.off('failed', onFailed);
      // Remove this update's jobs (finished ones after reading them; waiting ones after a failure).
      await withDeadline(Promise.allSettled(pending.map((p) => this.queue.remove(p.jobId))), performance.now() + 2000);
    }
  }

  /** Check the pending jobs in Redis: completed (read the result), failed for good, or vanished (enqueue again). */
  private async poll(pending: Pending[], results: (string | undefined)[], complete: (i: number, v: unknown) => void, fail: (p: Pending, reason: string, attempts: number) => void, add: (p: Pending) => Promise<unknown>): Promise<void> {
    await Promise.all(pending.map(async (p, i) => {
      if (results[i] !== undefined) return;
      const state = await this.queue.getJobState(p.jobId);
      if (state === 'unknown') {
        // Lost (Redis restarted without its data, or flushed): a job is complete, so run it again.
        p.resubmits++;
        this.resubmitted++;
        await add(p);
        return;
      }
      if (state !== 'completed' && state !== 'failed') return;
      const job = await Job.fromId(this.queue, p.jobId); // read after the state: it holds the final result
      if (!job) return; // removed meanwhile; seen as unknown by the next check
      if (state === 'failed') fail(p, job.failedReason ?? 'unknown reason', job.attemptsMade);
      else if (typeof (job.returnvalue as { frame?: unknown } | null)?.frame === 'string') complete(i, job.returnvalue);
      else fail(p, `the job completed without a rollout frame (is a worker of another program consuming queue '${this.options.queue}'?)`, job.attemptsMade);
    }));
  }
}
