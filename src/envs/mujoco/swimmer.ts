import type { Info } from '../env.js';
import { envXml } from './models.js';
import { MujocoEnv, type MujocoStepResult } from './mujoco-env.js';
import { bool, int, num, parseOptions, path, type ParsedOptions } from './options.js';
import { norm, sumOfSquares } from './numpy-sum.js';

/** The constructor options of `SwimmerEnv` with their checks and defaults (Gymnasium v5's arguments in camelCase); its options type is derived from it. */
export const SWIMMER_OPTIONS = {
  /** Path of an MJCF file to use instead of the built-in model (Gymnasium's xml_file); default: the built-in model. */
  xmlFile: path(),
  /** MuJoCo steps per env step (Gymnasium's frame_skip; default 4, at least 1); dt = timestep × frameSkip. */
  frameSkip: int(4, 1),
  /** Weight of the forward reward, the x velocity of qpos[0] (the swimmer's root) (default 1.0). */
  forwardRewardWeight: num(1.0),
  /** Weight of the control cost Σa² (default 1e-4). */
  ctrlCostWeight: num(1e-4),
  /** Scale s of the reset noise on qpos and qvel (default 0.1; the distribution is in the class description). */
  resetNoiseScale: num(0.1),
  /** Leave the x and y position (qpos[0:2]) out of the observation (default true). */
  excludeCurrentPositionsFromObservation: bool(true),
};

/** Options of `SwimmerEnv` (Gymnasium v5's constructor arguments in camelCase). */
export type SwimmerOptions = Partial<ParsedOptions<typeof SWIMMER_OPTIONS>>;

/** `np.linalg.norm((x, y) − (x0, y0))` as the reference recordings computed it (see `norm`). */
export function planarDistance(x: number, y: number, x0: number, y0: number): number {
  return norm([x - x0, y - y0]);
}

/**
 * Swimmer-v5 (Gymnasium v5 rules, own MJCF): three links in a viscous fluid, nq = nv = 5
 * (x, y, heading, 2 joints), 2 motors. Observation: qpos[2:] then qvel: 8 numbers (10 with x, y).
 * Reward: forwardRewardWeight · Δx/dt (of qpos[0]) − ctrlCostWeight · Σa². Never terminates.
 * Reset noise U(±resetNoiseScale) on qpos and qvel. dt = 0.04; `make` adds a 1000-step limit.
 */
export class SwimmerEnv extends MujocoEnv {
  /** The env's options after defaults (every option of its options table). */
  readonly options: ParsedOptions<typeof SWIMMER_OPTIONS>;

  constructor(options: SwimmerOptions = {}) {
    const o = parseOptions('Swimmer-v5', SWIMMER_OPTIONS, options);
    const skip = o.excludeCurrentPositionsFromObservation ? 2 : 0;
    super({ id: 'Swimmer-v5', xml: envXml('Swimmer-v5', 'swimmer.xml', o.xmlFile), frameSkip: o.frameSkip, observationSize: (sim) => sim.nq - skip + sim.nv });
    this.options = o;
  }

  protected override resetNoiseScale(): number {
    return this.options.resetNoiseScale;
  }

  protected computeStep(action: Float64Array): MujocoStepResult {
    const o = this.options;
    const qpos = this.sim.data('qpos');
    const xBefore = qpos[0];
    const yBefore = qpos[1];
    this.simulate(action);
    const after = this.sim.data('qpos');
    const xVelocity = (after[0] - xBefore) / this.dt;
    const yVelocity = (after[1] - yBefore) / this.dt;
    const forwardReward = o.forwardRewardWeight * xVelocity;
    const ctrlCost = o.ctrlCostWeight * sumOfSquares(action);
    const info: Info = { ...this.resetInfo(), x_velocity: xVelocity, y_velocity: yVelocity, reward_forward: forwardReward, reward_ctrl: -ctrlCost };
    return { reward: forwardReward - ctrlCost, terminated: false, info };
  }

  protected override resetInfo(): Info {
    const qpos = this.sim.data('qpos');
    return { x_position: qpos[0], y_position: qpos[1], distance_from_origin: planarDistance(qpos[0], qpos[1], this.initQpos[0], this.initQpos[1]) };
  }

  protected observe(): Float64Array {
    const qpos = this.sim.data('qpos');
    const qvel = this.sim.data('qvel');
    const skip = this.options.excludeCurrentPositionsFromObservation ? 2 : 0;
    const obs = new Float64Array(this.observationSpace.size);
    obs.set(qpos.subarray(skip));
    obs.set(qvel, qpos.length - skip);
    return obs;
  }
}
