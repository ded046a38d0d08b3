/** The data a training report is built from (everything is plain JSON). */
import type { TRPOUpdateInfo } from '../trpo/logger.js';
import type { Box2DScene } from './box2d-replay.js';
import type { MujocoScene } from './mujoco-scene.js';

/** One line of metrics.jsonl: TRPOUpdateInfo with non-finite numbers written as null. */
export type MetricsRow = { [K in keyof TRPOUpdateInfo]: TRPOUpdateInfo[K] extends number ? number | null : TRPOUpdateInfo[K] };

/** The deterministic action of the policy at one update over a grid of observations. */
export interface PolicySnapshotGrid {
  update: number;
  timesteps: number;
  /** Row-major values: for 2-D obs z[iy * x.length + ix] (obs = (x[ix], y[iy])); for 1-D obs z[ix]. */
  z: number[];
}

export interface SnapshotSection {
  /** Observation-dimension names (1 or 2). */
  obsNames: string[];
  /** Grid coordinates of obs[0] (and obs[1] for 2-D). */
  x: number[];
  y: number[] | null;
  /** What z is: e.g. "mean action (clipped)" or "argmax action". */
  valueLabel: string;
  discrete: boolean;
  /** Color range of z. */
  zmin: number;
  zmax: number;
  snapshots: PolicySnapshotGrid[];
  /** The replay episode's observations (obsDim values per step) drawn over the last snapshot. */
  trajectory: number[][] | null;
}

export type ReplayKind = 'cartpole' | 'pendulum' | 'acrobot' | 'mountaincar' | 'pointmass' | 'mujoco' | 'box2d';

/** One deterministic evaluation episode, for the canvas replay. */
export interface ReplayData {
  kind: ReplayKind;
  envId: string;
  /** Seconds of simulated time per step (playback speed). */
  dt: number;
  /**
   * Per frame from reset to the last step: the env's physical state (getState().physics), or for
   * kind 'mujoco' the geom poses (x, y, z, qw, qx, qy, qz per geom of `scene`), for kind 'box2d'
   * the bodies' poses (x, y, angle per body of `box2d`) and the engines or lidar ends.
   */
  states: number[][];
  /** kind 'mujoco': the geoms and the view. */
  scene?: MujocoScene;
  /** kind 'box2d': terrain, helipad or obstacles, and the bodies' outlines. */
  box2d?: Box2DScene;
  /** The action taken in each state (states.length - 1 entries). */
  actions: number[];
  rewards: number[];
  episodeReturn: number;
  terminated: boolean;
  seed: number;
}

export interface EvalSummary {
  meanReward: number;
  stdReward: number;
  episodes: number;
  deterministic: boolean;
  seed: number;
  episodeRewards: number[];
}

export interface ReportData {
  title: string;
  envId: string;
  seed: number | null;
  /** Hyperparameters and run facts shown in the summary table. */
  config: Record<string, unknown>;
  metrics: MetricsRow[];
  /** The trust-region radius (max_kl). */
  targetKl: number;
  /** Whether the policy is Gaussian (policy std) or categorical (entropy is shown instead). */
  gaussian: boolean;
  evaluation: EvalSummary | null;
  snapshots: SnapshotSection | null;
  replay: ReplayData | null;
  generatedAt: string;
}
