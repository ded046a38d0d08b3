/** Shared helpers of the MuJoCo env tests: reference data and compiled-model comparison. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MjModel } from '@mujoco/mujoco';
import type { MujocoModule } from '../../src/envs/mujoco/engine.js';

export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)), 'utf8'));
}

export interface ModelFacts {
  option: Record<string, number | number[]>;
  sizes: Record<string, number>;
  qpos0: number[];
  stat: Record<string, number>;
  [group: string]: unknown;
}

/** The compiled Gymnasium v5 models as numbers (copied from ../shared/reference/mujoco-v5-models.json). */
export function loadModelFacts(): Record<string, ModelFacts> {
  return (fixture('mujoco-v5-models.json') as { envs: Record<string, ModelFacts> }).envs;
}

export interface MujocoTrajectory {
  reset_seed: number;
  obs0: number[];
  state0: number[];
  reset_info: Record<string, number>;
  torso_xpos0?: number[];
  actions: number[][];
  obs: number[][];
  rewards: number[];
  terminated: boolean[];
  truncated: boolean[];
  states: number[][];
  torso_xpos?: number[][];
  info: Record<string, number[]>;
  n_steps: number;
}

export interface MujocoEnvReference {
  frame_skip: number;
  dt: number;
  obs_dim: number;
  action_low: number[];
  action_high: number[];
  max_episode_steps: number;
  init_qpos: number[];
  state_size: number;
  trajectories: MujocoTrajectory[];
}

/** Gymnasium 1.3.0 + MuJoCo 3.14.0 trajectories (copied from ../shared/reference/mujoco-v5-trajectories.json). */
export function loadMujocoTrajectories(): Record<string, MujocoEnvReference> {
  return (fixture('mujoco-v5-trajectories.json') as { envs: Record<string, MujocoEnvReference> }).envs;
}

/** |a - b| <= tol · max(1, |b|), with NaN/Infinity equal to themselves. */
export function close(a: number, b: number, tol: number): boolean {
  if (Object.is(a, b) || a === b) return true;
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
}

/** The relative difference used by `close`. */
export function relDiff(a: number, b: number): number {
  if (a === b) return 0;
  return Math.abs(a - b) / Math.max(1, Math.abs(b));
}

/** Field groups of the facts and the mjtObj type of their names (null: unnamed). */
const GROUPS: Record<string, string | null> = {
  body: 'mjOBJ_BODY', jnt: 'mjOBJ_JOINT', dof: null, geom: 'mjOBJ_GEOM', site: 'mjOBJ_SITE', tendon: 'mjOBJ_TENDON', wrap: null, key: 'mjOBJ_KEY', actuator: 'mjOBJ_ACTUATOR',
};
/** mjtByte arrays the binding cannot return as views; read through the named accessors. */
const BOOL_FIELDS = new Set(['jnt_limited', 'actuator_ctrllimited', 'actuator_forcelimited', 'tendon_limited']);

/** Every difference between a compiled model and the reference facts, beyond `tol` (empty = same model). */
export function compareModel(mj: MujocoModule, m: MjModel, facts: ModelFacts, tol: number): string[] {
  const diffs: string[] = [];
  const cmp = (what: string, got: ArrayLike<number>, want: number[]): void => {
    if (got.length !== want.length) {
      diffs.push(`${what}: length ${got.length}, expected ${want.length}`);
      return;
    }
    for (let i = 0; i < want.length; i++) {
      const w = typeof want[i] === 'string' ? Number(want[i]) : want[i];
      if (!close(Number(got[i]), w, tol)) diffs.push(`${what}[${i}]: ${got[i]}, expected ${w}`);
    }
  };
  const mm = m as unknown as Record<string, unknown>;
  const opt = m.opt as unknown as Record<string, unknown> & { delete(): void };
  for (const [k, v] of Object.entries(facts.option)) cmp(`option.${k}`, Array.isArray(v) ? Array.from(opt[k] as Float64Array) : [Number(opt[k])], Array.isArray(v) ? v : [v]);
  opt.delete();
  for (const [k, v] of Object.entries(facts.sizes)) cmp(`sizes.${k}`, [Number(mm[k])], [v]);
  cmp('qpos0', m.qpos0 as Float64Array, facts.qpos0);
  const stat = m.stat as unknown as Record<string, number> & { delete(): void };
  for (const [k, v] of Object.entries(facts.stat)) cmp(`stat.${k}`, [stat[k]], [v]);
  stat.delete();
  const objTypes = mj.mjtObj as unknown as Record<string, { value: number }>;
  for (const [group, objName] of Object.entries(GROUPS)) {
    const objType = objName === null ? -1 : objTypes[objName].value;
    const g = facts[group] as Record<string, unknown> & { count: number; names?: (string | null)[] } | undefined;
    if (!g) continue;
    if (g.names && objType >= 0) {
      g.names.forEach((name, i) => {
        if (name !== null && mj.mj_name2id(m, objType, name) !== i) diffs.push(`${group} ${JSON.stringify(name)}: id ${mj.mj_name2id(m, objType, name)}, expected ${i}`);
      });
    }
    for (const [field, value] of Object.entries(g)) {
      if (field === 'count' || field === 'names') continue;
      const want = (value as unknown[]).flat(2).map((x) => (typeof x === 'boolean' ? Number(x) : (x as number)));
      let got: ArrayLike<number>;
      if (BOOL_FIELDS.has(field)) {
        const accessorName = field.slice(0, field.indexOf('_')) as 'jnt' | 'actuator' | 'tendon';
        const prop = field.slice(field.indexOf('_') + 1);
        got = Array.from({ length: g.count }, (_, i) => {
          const acc = (m as unknown as Record<string, (i: number) => Record<string, unknown> & { delete(): void }>)[accessorName](i);
          // the tendon accessor prefixes its fields with an underscore (tendon(i)._limited)
          const x = Number(acc[prop] ?? acc[`_${prop}`]);
          acc.delete();
          return x;
        });
      } else {
        got = mm[field] as ArrayLike<number>;
        if (got === undefined) {
          diffs.push(`${field}: not readable from the binding`);
          continue;
        }
      }
      cmp(field, got, want);
    }
  }
  return diffs;
}

/**
 * The MuJoCo envs under test: one entry per env drives every MuJoCo test file (model facts,
 * exactness, state contract, resources, errors, worker envs, checkEnv).
 * - `trajectories`: the fixture file holding its reference trajectory;
 * - `derived`: the trajectory key of the derived quantity appended to `physics` (its reset value
 *   is `${derived}0`), e.g. Ant's torso xpos.
 */
export interface MujocoEnvCase {
  id: string;
  trajectories: string;
  derived?: string;
}

export const MUJOCO_CASES: MujocoEnvCase[] = [
  { id: 'Hopper-v5', trajectories: 'mujoco-v5-trajectories.json' },
  { id: 'HalfCheetah-v5', trajectories: 'mujoco-v5-trajectories.json' },
  { id: 'Walker2d-v5', trajectories: 'mujoco-v5-trajectories.json' },
  { id: 'Swimmer-v5', trajectories: 'mujoco-v5-trajectories.json' },
  { id: 'Ant-v5', trajectories: 'mujoco-v5-trajectories.json', derived: 'torso_xpos' },
  { id: 'InvertedPendulum-v5', trajectories: 'mujoco-v5-trajectories.json' },
  { id: 'InvertedDoublePendulum-v5', trajectories: 'mujoco-v5-trajectories.json' },
  { id: 'Reacher-v5', trajectories: 'mujoco-v5-trajectories.json' },
  { id: 'Humanoid-v5', trajectories: 'mujoco-v5-humanoid-pusher-trajectories.json', derived: 'mass_center' },
  { id: 'Pusher-v5', trajectories: 'mujoco-v5-humanoid-pusher-trajectories.json' },
];

/** The reference of one case, from its fixture file. */
export function caseReference(c: MujocoEnvCase): MujocoEnvReference {
  const all = (fixture(c.trajectories) as { envs: Record<string, MujocoEnvReference> }).envs;
  const ref = all[c.id];
  if (!ref) throw new Error(`${c.trajectories} has no trajectory of ${c.id}`);
  return ref;
}

/** The recorded `physics` before step t (state0 for t = 0), with the derived quantity appended. */
export function physicsBefore(c: MujocoEnvCase, traj: MujocoTrajectory, t: number): number[] {
  const t_ = traj as unknown as Record<string, number[] | number[][]>;
  const state = t === 0 ? traj.state0 : traj.states[t - 1];
  if (!c.derived) return [...state];
  const derived = t === 0 ? (t_[`${c.derived}0`] as number[]) : (t_[c.derived] as number[][])[t - 1];
  return [...state, ...derived];
}

/** The recorded `physics` after step t. */
export function physicsAfter(c: MujocoEnvCase, traj: MujocoTrajectory, t: number): number[] {
  return physicsBefore(c, traj, t + 1);
}
