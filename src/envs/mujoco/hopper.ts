import type { Info } from '../env.js';
import { envXml } from './models.js';
import { MujocoEnv, type MujocoStepResult } from './mujoco-env.js';
import { bool, int, num, parseOptions, path, range, type ParsedOptions } from './options.js';
import { sumOfSquares } from './numpy-sum.js';

const HOPPER_OPTIONS = {
  xmlFile: path(),
  frameSkip: int(4, 1),
  forwardRewardWeight: num(1.0),
  ctrlCostWeight: num(1e-3),
  healthyReward: num(1.0),
  terminateWhenUnhealthy: bool(true),
  healthyStateRange: range(-100, 100),
  healthyZRange: range(0.7, Infinity),
  healthyAngleRange: range(-0.2, 0.2),
  resetNoiseScale: num(5e-3),
  excludeCurrentPositionsFromObservation: bool(true),
};

/** Options of `HopperEnv` (Gymnasium v5's constructor arguments in camelCase). */
export type HopperOptions = Partial<ParsedOptions<typeof HOPPER_OPTIONS>>;

/** Clip to [-10, 10] (Gymnasium's velocity clip of the planar walkers). */
export function clip10(x: number): number {
  return x < -10 ? -10 : x > 10 ? 10 : x;
}

/**
 * Hopper-v5 (Gymnasium v5 rules, own MJCF): a one-legged planar hopper, nq = nv = 6, 3 motors.
 * Observation: qpos[1:] (qpos with x when `excludeCurrentPositionsFromObservation` is false) then
 * clip(qvel, ±10): 11 numbers. Reward: forwardRewardWeight · Δx/dt + healthyReward (only while
 * healthy) − ctrlCostWeight · Σa². Healthy: z in healthyZRange, the torso angle qpos[2] in
 * healthyAngleRange and every entry of (qpos, qvel)[2:] in healthyStateRange (open intervals).
 * Terminates when unhealthy (if terminateWhenUnhealthy). Reset noise U(±resetNoiseScale) on qpos
 * and qvel. dt = 0.008; `make` adds a 1000-step limit.
 */
export class HopperEnv extends MujocoEnv {
  readonly options: ParsedOptions<typeof HOPPER_OPTIONS>;

  constructor(options: HopperOptions = {}) {
    const o = parseOptions('Hopper-v5', HOPPER_OPTIONS, options);
    super({ id: 'Hopper-v5', xml: envXml('Hopper-v5', 'hopper.xml', o.xmlFile), frameSkip: o.frameSkip, observationSize: 11 + (o.excludeCurrentPositionsFromObservation ? 0 : 1) });
    this.options = o;
  }

  protected override resetNoiseScale(): number {
    return this.options.resetNoiseScale;
  }

  /** Gymnasium's `is_healthy` on the current state. */
  isHealthy(): boolean {
    const qpos = this.sim.data('qpos');
    const qvel = this.sim.data('qvel');
    const [sLo, sHi] = this.options.healthyStateRange;
    for (let i = 2; i < qpos.length; i++) if (!(qpos[i] > sLo && qpos[i] < sHi)) return false;
    for (let i = 0; i < qvel.length; i++) if (!(qvel[i] > sLo && qvel[i] < sHi)) return false;
    const [zLo, zHi] = this.options.healthyZRange;
    const [aLo, aHi] = this.options.healthyAngleRange;
    return zLo < qpos[1] && qpos[1] < zHi && aLo < qpos[2] && qpos[2] < aHi;
  }

  protected computeStep(action: Float64Array): MujocoStepResult {
    const o = this.options;
    const qpos = this.sim.data('qpos');
    const xBefore = qpos[0];
    this.simulate(action);
    const xAfter = this.sim.data('qpos')[0];
    const xVelocity = (xAfter - xBefore) / this.dt;
    const ctrlCost = o.ctrlCostWeight * sumOfSquares(action);
    const forwardReward = o.forwardRewardWeight * xVelocity;
    const healthy = this.isHealthy();
    const healthyReward = healthy ? o.healthyReward : 0;
    const reward = forwardReward + healthyReward - ctrlCost;
    const info: Info = {
      ...this.resetInfo(),
      x_velocity: xVelocity,
      reward_forward: forwardReward,
      reward_ctrl: -ctrlCost,
      reward_survive: healthyReward,
    };
    return { reward, terminated: !healthy && o.terminateWhenUnhealthy, info };
  }

  protected override resetInfo(): Info {
    const qpos = this.sim.data('qpos');
    return { x_position: qpos[0], z_distance_from_origin: qpos[1] - this.initQpos[1] };
  }

  protected observe(): Float64Array {
    const qpos = this.sim.data('qpos');
    const qvel = this.sim.data('qvel');
    const skip = this.options.excludeCurrentPositionsFromObservation ? 1 : 0;
    const obs = new Float64Array(this.observationSpace.size);
    let k = 0;
    for (let i = skip; i < qpos.length; i++) obs[k++] = qpos[i];
    for (let i = 0; i < qvel.length; i++) obs[k++] = clip10(qvel[i]);
    return obs;
  }
}
