import type { Info } from '../env.js';
import { envXml } from './models.js';
import { MujocoEnv, type MujocoStepResult } from './mujoco-env.js';
import { bool, int, num, parseOptions, path, type ParsedOptions } from './options.js';
import { sumOfSquares } from './numpy-sum.js';

/** The constructor options of `HalfCheetahEnv` with their checks and defaults (Gymnasium v5's arguments in camelCase); its options type is derived from it. */
export const HALF_CHEETAH_OPTIONS = {
  /** Path of an MJCF file to use instead of the built-in model (Gymnasium's xml_file); default: the built-in model. */
  xmlFile: path(),
  /** MuJoCo steps per env step (Gymnasium's frame_skip; default 5, at least 1); dt = timestep × frameSkip. */
  frameSkip: int(5, 1),
  /** Weight of the forward reward, the x velocity of the torso (default 1.0). */
  forwardRewardWeight: num(1.0),
  /** Weight of the control cost Σa² (default 0.1). */
  ctrlCostWeight: num(0.1),
  /** Scale s of the reset noise on qpos and qvel (default 0.1; the distribution is in the class description). */
  resetNoiseScale: num(0.1),
  /** Leave the x position (qpos[0]) out of the observation (default true). */
  excludeCurrentPositionsFromObservation: bool(true),
};

/** Options of `HalfCheetahEnv` (Gymnasium v5's constructor arguments in camelCase). */
export type HalfCheetahOptions = Partial<ParsedOptions<typeof HALF_CHEETAH_OPTIONS>>;

/**
 * HalfCheetah-v5 (Gymnasium v5 rules, own MJCF): a planar two-legged runner, nq = nv = 9,
 * 6 motors. Observation: qpos[1:] then qvel (not clipped): 17 numbers (18 with x). Reward:
 * forwardRewardWeight · Δx/dt − ctrlCostWeight · Σa². Never terminates. Reset: qpos + U(±s),
 * qvel + s · N(0, 1) with s = resetNoiseScale. dt = 0.05; `make` adds a 1000-step limit.
 */
export class HalfCheetahEnv extends MujocoEnv {
  /** The env's options after defaults (every option of its options table). */
  readonly options: ParsedOptions<typeof HALF_CHEETAH_OPTIONS>;

  constructor(options: HalfCheetahOptions = {}) {
    const o = parseOptions('HalfCheetah-v5', HALF_CHEETAH_OPTIONS, options);
    super({ id: 'HalfCheetah-v5', xml: envXml('HalfCheetah-v5', 'half-cheetah.xml', o.xmlFile), frameSkip: o.frameSkip, observationSize: 17 + (o.excludeCurrentPositionsFromObservation ? 0 : 1) });
    this.options = o;
  }

  protected override resetModel(): void {
    const s = this.options.resetNoiseScale;
    this.setQposQvel(this.uniformNoise(this.initQpos, s), this.normalNoise(this.initQvel, s));
  }

  protected computeStep(action: Float64Array): MujocoStepResult {
    const o = this.options;
    const xBefore = this.sim.data('qpos')[0];
    this.simulate(action);
    const xAfter = this.sim.data('qpos')[0];
    const xVelocity = (xAfter - xBefore) / this.dt;
    const forwardReward = o.forwardRewardWeight * xVelocity;
    const ctrlCost = o.ctrlCostWeight * sumOfSquares(action);
    const info: Info = { x_position: xAfter, x_velocity: xVelocity, reward_forward: forwardReward, reward_ctrl: -ctrlCost };
    return { reward: forwardReward - ctrlCost, terminated: false, info };
  }

  protected override resetInfo(): Info {
    return { x_position: this.sim.data('qpos')[0] };
  }

  protected observe(): Float64Array {
    const qpos = this.sim.data('qpos');
    const qvel = this.sim.data('qvel');
    const skip = this.options.excludeCurrentPositionsFromObservation ? 1 : 0;
    const obs = new Float64Array(this.observationSpace.size);
    obs.set(qpos.subarray(skip));
    obs.set(qvel, qpos.length - skip);
    return obs;
  }
}
