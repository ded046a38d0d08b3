/**
 * The worker's job: one segment of a rollout, computed from the job alone (stateless). The
 * segment's env slots are rebuilt from their states, the networks from their parameters, and
 * the sampling noise comes with the job, so the result is the same on any worker and the same
 * as the learner's own rollout of these slots.
 */
// The native backend: registered by importing backend.ts (the Node entry), as trpo.ts does.
import '../backend.js';
import { loadEnvFactory, type EnvSource } from '../envs/vector/env-source.js';
import { flatDim } from '../envs/flatten.js';
import { VecNormalize } from '../envs/vector/normalize.js';
import { RunningMeanStd } from '../envs/vector/running-mean-std.js';
import { SyncVectorEnv } from '../envs/vector/sync.js';
import type { VecEnv, VecInfo, VecStepResult } from '../envs/vector/vec-env.js';
import { isBox, type ActionSpace } from '../envs/spaces.js';
import { CategoricalMlpPolicy, GaussianMlpPolicy } from '../policies.js';
import { Random } from '../random.js';
import { EpisodeWindow } from '../trpo/episode-window.js';
import { actionLayoutOf, collectRollout, observationLayoutOf } from '../trpo/rollout.js';
import { RolloutBuffer } from '../trpo/rollout-buffer.js';
import { ValueFunction } from '../value-function.js';
import type { FrameArray } from './codec.js';
import { PROTOCOL_VERSION, type EnvSpec, type EpisodeRecord, type RolloutJobMeta, type RolloutResultMeta } from './protocol.js';

/** Rows of the rollout buffer: the learner's nEnvs (exact) or the segment's slots. */
function layout(m: RolloutJobMeta): { rows: number; off: number; k: number } {
  return m.exact ? { rows: m.nEnvs, off: m.slotStart, k: m.slotCount } : { rows: m.slotCount, off: 0, k: m.slotCount };
}

/** The job's noise replayed in the order collectRollout draws it, zeros for the padding rows. */
class NoiseReplay extends Random {
  private i = 0;
  constructor(private readonly noise: Float64Array, private readonly rows: number, private readonly off: number, private readonly k: number, private readonly w: number) {
    super(0);
  }

  private next(): number {
    const i = this.i++;
    const perStep = this.rows * this.w;
    const t = Math.floor(i / perStep);
    const row = Math.floor((i % perStep) / this.w);
    if (row < this.off || row >= this.off + this.k) return 0;
    const j = i % this.w;
    return this.noise[(t * this.k + row - this.off) * this.w + j];
  }

  override uniform(): number {
    return this.next();
  }

  override normal(): number {
    return this.next();
  }
}

/**
 * The raw observations and discounted returns of the segment, gathered as a VecNormalize in
 * training mode would (obs after every step; R <- gamma R + r, reset at an episode end), into
 * statistics that start empty (count 0), for the learner to merge in slot order.
 */
class SegmentStatistics implements VecEnv {
  readonly numEnvs: number;
  readonly observationSpace;
  readonly actionSpace;
  readonly obsDim: number;
  readonly actDim: number;
  readonly obsRms: RunningMeanStd | null;
  readonly retRms = new RunningMeanStd(1, 0);
  lastRaw: Float64Array;

  constructor(readonly venv: SyncVectorEnv, readonly returns: Float64Array, readonly gamma: number, normObs: boolean, lastRaw: Float64Array) {
    this.numEnvs = venv.numEnvs;
    this.observationSpace = venv.observationSpace;
    this.actionSpace = venv.actionSpace;
    this.obsDim = venv.obsDim;
    this.actDim = venv.actDim;
    this.obsRms = normObs ? new RunningMeanStd(venv.obsDim, 0) : null;
    this.lastRaw = lastRaw;
  }

  async reset(): Promise<Float64Array> {
    throw new Error('a rollout segment does not reset its envs');
  }

  async step(actions: Float64Array): Promise<VecStepResult> {
    const r = this.venv.stepSync(actions);
    this.lastRaw = r.observations;
    this.obsRms?.update(r.observations, this.numEnvs);
    for (let i = 0; i < this.numEnvs; i++) this.returns[i] = this.returns[i] * this.gamma + r.rewards[i];
    this.retRms.update(this.returns, this.numEnvs);
    for (let i = 0; i < this.numEnvs; i++) if (r.terminated[i] || r.truncated[i]) this.returns[i] = 0;
    return r;
  }

  async close(): Promise<void> {}
}

/**
 * The segment's slots presented as `rows` envs (the slots at rows off..off+k-1, zeros elsewhere),
 * recording the finished episodes with their step and slot, and yielding to the event loop every
 * ~20 ms so that the worker keeps renewing its job lock during long segments.
 */
class SegmentEnv implements VecEnv {
  readonly numEnvs: number;
  readonly observationSpace;
  readonly actionSpace;
  readonly obsDim: number;
  readonly actDim: number;
  readonly episodes: EpisodeRecord[] = [];
  private t = 0;
  private lastYield = performance.now();
  private readonly empty: VecInfo = {};

  constructor(private readonly inner: VecEnv, readonly rows: number, private readonly off: number, private readonly slotStart: number) {
    this.numEnvs = rows;
    this.observationSpace = inner.observationSpace;
    this.actionSpace = inner.actionSpace;
    this.obsDim = inner.obsDim;
    this.actDim = inner.actDim;
  }

  async reset(): Promise<Float64Array> {
    throw new Error('a rollout segment does not reset its envs');
  }

  async step(actions: Float64Array): Promise<VecStepResult> {
    const { off, rows, obsDim: d, actDim: w } = this;
    const k = this.inner.numEnvs;
    if (performance.now() - this.lastYield > 20) {
      await new Promise((r) => setImmediate(r));
      this.lastYield = performance.now();
    }
    const r = await this.inner.step(rows === k ? actions : actions.slice(off * w, (off + k) * w));
    for (let i = 0; i < k; i++) {
      const ep = r.infos[i]?.episode;
      if (ep) this.episodes.push({ t: this.t, slot: this.slotStart + i, r: ep.r, l: ep.l });
    }
    this.t++;
    if (rows === k) return r;
    const observations = new Float64Array(rows * d);
    observations.set(r.observations, off * d);
    const rewards = new Float64Array(rows);
    rewards.set(r.rewards, off);
    const terminated = new Uint8Array(rows);
    terminated.set(r.terminated, off);
    const truncated = new Uint8Array(rows);
    truncated.set(r.truncated, off);
    const infos: VecInfo[] = new Array(rows).fill(this.empty);
    for (let i = 0; i < k; i++) infos[off + i] = r.infos[i];
    return { observations, rewards, terminated, truncated, infos };
  }

  async close(): Promise<void> {}
}

interface Networks {
  key: string;
  policy: GaussianMlpPolicy | CategoricalMlpPolicy;
  valueFunction: ValueFunction;
}

/**
 * Networks by architecture, reused between jobs (building one costs milliseconds; a job sets all
 * their parameters, and a network is lent to one job at a time).
 */
const networkPool = new Map<string, Networks[]>();

function acquireNetworks(m: RolloutJobMeta, obsDim: number, space: ActionSpace): Networks {
  const n = m.network;
  const out = n.kind === 'categorical' ? (space as { n: number }).n : (space as { size: number }).size;
  const key = JSON.stringify([n.kind, obsDim, out, n.policyHidden, n.valueHidden, n.backend, n.dtype]);
  const free = networkPool.get(key)?.pop();
  if (free) return free;
  const common = { obsDim, backend: n.backend, dtype: n.dtype };
  const policy = n.kind === 'categorical'
    ? new CategoricalMlpPolicy({ ...common, nActions: out, hiddenSizes: n.policyHidden, seed: 0 })
    : new GaussianMlpPolicy({ ...common, actDim: out, hiddenSizes: n.policyHidden, seed: 0 });
  return { key, policy, valueFunction: new ValueFunction({ ...common, hiddenSizes: n.valueHidden, seed: 0 }) };
}

function releaseNetworks(nets: Networks): void {
  const list = networkPool.get(nets.key) ?? [];
  if (list.length < 8) list.push(nets);
  networkPool.set(nets.key, list);
}

function envSource(spec: EnvSpec): EnvSource {
  if (typeof spec.id === 'string') return spec.id;
  if (typeof spec.modulePath === 'string') return { modulePath: spec.modulePath, exportName: spec.exportName };
  throw new TypeError(`rollout job: env: expected { id } or { modulePath, exportName }, got ${JSON.stringify(spec)}`);
}

/** Columns off..off+k-1 of a time-major rows-wide array (width values per entry) as a compact k-wide array. */
export function gatherColumns<T extends FrameArray>(src: T, steps: number, rows: number, off: number, k: number, width: number): T {
  const out = new (src.constructor as new (n: number) => T)(steps * k * width);
  for (let t = 0; t < steps; t++) out.set(src.subarray((t * rows + off) * width, (t * rows + off + k) * width) as never, t * k * width);
  return out;
}

export interface SegmentOutput {
  meta: RolloutResultMeta;
  arrays: Record<string, FrameArray>;
}

/** Run one rollout job. Throws (with the env's message) if an env fails. */
export async function runSegment(m: RolloutJobMeta, a: Record<string, FrameArray>, worker: string): Promise<SegmentOutput> {
  const t0 = performance.now();
  const { rows, off, k } = layout(m);
  const factory = await loadEnvFactory(envSource(m.env), { envOptions: m.env.envOptions, maxEpisodeSteps: m.env.maxEpisodeSteps });
  const sync = new SyncVectorEnv(Array.from({ length: k }, () => factory), { indexOffset: m.slotStart });
  let nets: Networks | null = null;
  try {
    const obsKey = JSON.stringify(sync.observationSpace.toJSON());
    const actKey = JSON.stringify(sync.actionSpace.toJSON());
    if (obsKey !== JSON.stringify(m.observationSpace) || actKey !== JSON.stringify(m.actionSpace)) {
      throw new TypeError(`rollout job: the env built here has spaces ${String(sync.observationSpace)} / ${String(sync.actionSpace)}, the learner's are ${JSON.stringify(m.observationSpace)} / ${JSON.stringify(m.actionSpace)}`);
    }
    sync.resetSync(); // marks the vector env started; every env's state is overwritten below
    sync.envs.forEach((e, i) => {
      if (typeof e.setState !== 'function') throw new TypeError(`env ${m.slotStart + i} has no setState(); distributed rollouts need envs with getState/setState`);
      e.setState(m.envStates[i]);
    });
    sync.setEpisodeState(m.episodeState);

    const rawLast = a.lastObs as Float64Array;
    let inner: VecEnv = sync;
    let stats: SegmentStatistics | null = null;
    let frozen: VecNormalize | null = null;
    if (m.normalization) {
      const n = m.normalization;
      if (!isBox(sync.observationSpace) && n.normObs) throw new TypeError('distributed rollouts: VecNormalize observation statistics are supported for Box observation spaces only');
      stats = new SegmentStatistics(sync, Float64Array.from(n.returns ?? new Array<number>(k).fill(0)), n.gamma, n.normObs, rawLast);
      frozen = new VecNormalize(stats, { training: false });
      frozen.setState({ ...n, returns: null });
      inner = frozen;
    }
    const seg = new SegmentEnv(inner, rows, off, m.slotStart);

    const space = sync.actionSpace;
    const obsDim = flatDim(sync.observationSpace);
    nets = acquireNetworks(m, obsDim, space);
    const { policy, valueFunction } = nets;
    policy.setParameters(a.policy as Float64Array);
    valueFunction.setParameters(a.value as Float64Array);
    const common = { obsDim };
    const actions = actionLayoutOf(space);
    const observations = observationLayoutOf(sync.observationSpace, common.obsDim);
    const f32 = policy.backend === 'native' && m.network.dtype === 'float32';
    const buf = new RolloutBuffer(m.nSteps, rows, common.obsDim, actions.dim, actions.discrete, f32);
    const rng = new NoiseReplay(a.noise as Float64Array, rows, off, k, actions.dim);

    const d = sync.obsDim;
    const obs0 = new Float64Array(rows * d);
    obs0.set(frozen ? frozen.normalizeObs(rawLast) : rawLast, off * d);
    const rollout = await collectRollout(seg, buf, obs0, { policy, valueFunction, rng, actions, observations, episodes: new EpisodeWindow(1) });

    const n = m.nSteps;
    const w = actions.dim;
    const od = common.obsDim;
    const arrays: Record<string, FrameArray> = {
      obs: gatherColumns(buf.obs, n, rows, off, k, od),
      actions: buf.actionsI ? gatherColumns(buf.actionsI, n, rows, off, k, w) : gatherColumns(buf.actionsF!, n, rows, off, k, w),
      logProbs: gatherColumns(buf.logProbs, n, rows, off, k, 1),
      values: gatherColumns(buf.values, n, rows, off, k, 1),
      rewards: gatherColumns(buf.rewards, n, rows, off, k, 1),
      terminated: gatherColumns(buf.terminated, n, rows, off, k, 1),
      truncated: gatherColumns(buf.truncated, n, rows, off, k, 1),
      finalValues: gatherColumns(buf.finalValues, n, rows, off, k, 1),
      hasFinal: gatherColumns(buf.hasFinal, n, rows, off, k, 1),
      lastObs: gatherColumns(buf.lastObs, 1, rows, off, k, od),
      lastValues: gatherColumns(buf.lastValues, 1, rows, off, k, 1),
      // The env's raw observations after the last step (the next segment starts from them).
      rawLastObs: stats ? Float64Array.from(stats.lastRaw) : rollout.lastObs.slice(off * d, (off + k) * d),
    };
    const meta: RolloutResultMeta = {
      protocol: PROTOCOL_VERSION,
      envStates: JSON.parse(JSON.stringify(sync.envs.map((e) => e.getState!()))) as unknown[],
      episodeState: sync.getEpisodeState(),
      episodes: seg.episodes,
      statistics: stats ? { obs: stats.obsRms?.getState() ?? null, ret: stats.retRms.getState(), returns: Array.from(stats.returns) } : null,
      worker,
      seconds: (performance.now() - t0) / 1000,
    };
    return { meta, arrays };
  } finally {
    sync.closeSync();
    if (nets) releaseNetworks(nets);
  }
}
