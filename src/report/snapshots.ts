/**
 * Policy snapshots: the policy's parameters (and observation statistics) saved at a few updates
 * during training, and their deterministic action evaluated over a grid of observations for
 * envs with 1-D or 2-D observations (a line or a heatmap per snapshot in the report).
 */
import { isBox, isDiscrete, type Box, type ObservationSpace } from '../envs/spaces.js';
import type { VecNormalizeState } from '../envs/vector/normalize.js';
import type { TRPO } from '../trpo/trpo.js';
import { normalizeObservations } from './normalize.js';
import type { PolicySnapshotGrid, SnapshotSection } from './types.js';

export const SNAPSHOTS_FORMAT = 'trpo-node/policy-snapshots';

export interface PolicySnapshot {
  update: number;
  timesteps: number;
  /** Flat policy parameters, float64 little-endian, base64. */
  parameters: string;
  obsNormalization: VecNormalizeState | null;
}

export interface SnapshotsFile {
  format: typeof SNAPSHOTS_FORMAT;
  snapshots: PolicySnapshot[];
}

export function encodeFloat64(a: Float64Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

export function decodeFloat64(s: string): Float64Array {
  const buf = Buffer.from(s, 'base64');
  const out = new Float64Array(buf.length / 8);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

/** Updates to snapshot out of `totalUpdates`: the first, 25 %, 50 %, 75 % and the last. */
export function snapshotUpdates(totalUpdates: number): number[] {
  const n = Math.max(1, Math.floor(totalUpdates));
  const picks = [1, Math.round(n * 0.25), Math.round(n * 0.5), Math.round(n * 0.75), n].map((u) => Math.min(n, Math.max(1, u)));
  return [...new Set(picks)].sort((a, b) => a - b);
}

/** Whether the report draws policy snapshots for an observation space (1-D or 2-D observations). */
export function supportsSnapshots(observationSpace: ObservationSpace): observationSpace is Box {
  return isBox(observationSpace) && (observationSpace.size === 1 || observationSpace.size === 2);
}

/** Records snapshots from the learn callback at the planned updates (and on demand). */
export class SnapshotRecorder {
  readonly snapshots: PolicySnapshot[] = [];
  private readonly planned: Set<number>;

  constructor(totalUpdates: number) {
    this.planned = new Set(snapshotUpdates(totalUpdates));
  }

  /** Call after every update; captures when the update is planned. */
  onUpdate(update: number, timesteps: number, model: TRPO): void {
    if (this.planned.has(update)) this.capture(update, timesteps, model);
  }

  /** Capture now unless this update was captured already (e.g. after an early stop). */
  capture(update: number, timesteps: number, model: TRPO): void {
    if (this.snapshots.some((s) => s.update === update)) return;
    this.snapshots.push({
      update, timesteps,
      parameters: encodeFloat64(model.policy.getParameters()),
      obsNormalization: model.normalizationState(),
    });
  }

  toJSON(): SnapshotsFile {
    return { format: SNAPSHOTS_FORMAT, snapshots: this.snapshots };
  }
}

/** Observation ranges for the grid where the space is unbounded. */
const GRID_RANGES: Record<string, [number, number][]> = {
  'PointMass1D-v0': [[-2, 2], [-1, 1]],
};

const OBS_NAMES: Record<string, string[]> = {
  'PointMass1D-v0': ['position x', 'velocity v'],
  'MountainCar-v0': ['position', 'velocity'],
  'MountainCarContinuous-v0': ['position', 'velocity'],
};

function linspace(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

/** Grid range of observation dim `j`: finite bounds, a known range, else the trajectory's range padded. */
function gridRange(envId: string, space: Box, j: number, trajectory: number[][] | null): [number, number] {
  const lo = space.low[j];
  const hi = space.high[j];
  if (Number.isFinite(lo) && Number.isFinite(hi)) return [lo, hi];
  const known = GRID_RANGES[envId]?.[j];
  if (known) return known;
  if (trajectory && trajectory.length > 0) {
    const vals = trajectory.map((o) => o[j]);
    const a = Math.min(...vals);
    const b = Math.max(...vals);
    const pad = Math.max(0.5, (b - a) * 0.25);
    return [a - pad, b + pad];
  }
  return [-1, 1];
}

/**
 * The snapshots' deterministic actions over a grid (41 x 41 for 2-D observations, 101 points for
 * 1-D): the clipped policy mean of the first action dimension (Box actions) or the argmax action
 * (Discrete). Sets the model's policy parameters to each snapshot's (the model is not trained
 * afterwards). Null when the observations are not 1-D or 2-D or there is no snapshot.
 */
export function evaluateSnapshots(model: TRPO, envId: string, file: SnapshotsFile | null, trajectory: number[][] | null): SnapshotSection | null {
  const space = model.observationSpace;
  if (!file || file.snapshots.length === 0 || !supportsSnapshots(space)) return null;
  const dims = space.size;
  const [x0, x1] = gridRange(envId, space, 0, trajectory);
  const x = linspace(x0, x1, dims === 2 ? 41 : 101);
  let y: number[] | null = null;
  const points: number[] = [];
  if (dims === 2) {
    const [y0, y1] = gridRange(envId, space, 1, trajectory);
    y = linspace(y0, y1, 41);
    for (const yv of y) for (const xv of x) points.push(xv, yv);
  } else {
    points.push(...x);
  }
  const discrete = isDiscrete(model.actionSpace);
  const width = model.actDim;
  const saved = model.policy.getParameters();
  const snapshots: PolicySnapshotGrid[] = [];
  try {
    for (const s of [...file.snapshots].sort((a, b) => a.update - b.update)) {
      model.policy.setParameters(decodeFloat64(s.parameters));
      const actions = model.predict(normalizeObservations(points, s.obsNormalization), { deterministic: true });
      const n = points.length / dims;
      const z = Array.from({ length: n }, (_, i) => actions[i * width]);
      snapshots.push({ update: s.update, timesteps: s.timesteps, z });
    }
  } finally {
    model.policy.setParameters(saved);
  }
  let zmin: number;
  let zmax: number;
  const a = model.actionSpace;
  if (isDiscrete(a)) {
    zmin = a.start;
    zmax = a.start + a.n - 1;
  } else if (!isBox(a)) {
    throw new TypeError(`evaluateSnapshots: action space ${String(a)} is not drawn by the report`);
  } else {
    zmin = a.low[0];
    zmax = a.high[0];
    if (!Number.isFinite(zmin) || !Number.isFinite(zmax)) {
      const all = snapshots.flatMap((s) => s.z);
      zmin = Math.min(...all);
      zmax = Math.max(...all);
    }
  }
  return {
    obsNames: OBS_NAMES[envId] ?? (dims === 2 ? ['obs[0]', 'obs[1]'] : ['obs[0]']),
    x, y,
    valueLabel: discrete ? 'argmax action' : (width > 1 ? 'mean action[0] (clipped)' : 'mean action (clipped)'),
    discrete, zmin, zmax, snapshots, trajectory,
  };
}
