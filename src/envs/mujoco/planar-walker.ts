import type { Info } from '../env.js';
import { MujocoEnv, type MujocoEnvConfig, type MujocoStepResult } from './mujoco-env.js';
import { sumOfSquares } from './numpy-sum.js';

/** The options Hopper-v5 and Walker2d-v5 share. */
export interface PlanarWalkerOptions {
  /** Weight of the forward reward Δx/dt. */
  forwardRewardWeight: number;
  /** Weight of the control cost Σa². */
  ctrlCostWeight: number;
  /** Reward per step while healthy. */
  healthyReward: number;
  /** Whether an unhealthy state terminates the episode. */
  terminateWhenUnhealthy: boolean;
  /** Scale s of the reset noise U(−s, s) on qpos and qvel. */
  resetNoiseScale: number;
  /** Whether qpos[0] (the x position) is left out of the observation. */
  excludeCurrentPositionsFromObservation: boolean;
}

/** Clip to [-10, 10] (the velocity clip of the planar walkers' observations). */
export function clip10(x: number): number {
  return x < -10 ? -10 : x > 10 ? 10 : x;
}

/**
 * Gymnasium v5's rules shared by Hopper and Walker2d (qpos = [x, z, torso angle, joints...]):
 * reward = forwardRewardWeight · Δx/dt + healthyReward (only while healthy) − ctrlCostWeight · Σa²
 * (summed in that order: (forward + healthy) − ctrl); terminated = unhealthy and
 * terminateWhenUnhealthy; observation qpos[1:] (all of qpos without the exclusion) then
 * clip(qvel, ±10); info x_position, z_distance_from_origin, x_velocity, reward_forward,
 * reward_ctrl, reward_survive; reset noise U(±resetNoiseScale) on qpos and qvel.
 */
export abstract class PlanarWalkerEnv<O extends PlanarWalkerOptions> extends MujocoEnv {
  /** The env's options after defaults. */
  readonly options: O;

  constructor(config: Omit<MujocoEnvConfig, 'observationSize'>, options: O) {
    const skip = options.excludeCurrentPositionsFromObservation ? 1 : 0;
    super({ ...config, observationSize: (sim) => sim.nq - skip + sim.nv });
    this.options = options;
  }

  /** Gymnasium's `is_healthy` on the current state. */
  abstract isHealthy(): boolean;

  protected override resetNoiseScale(): number {
    return this.options.resetNoiseScale;
  }

  protected computeStep(action: Float64Array): MujocoStepResult {
    const o = this.options;
    const xBefore = this.sim.data('qpos')[0];
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
