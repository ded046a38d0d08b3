import type { Info } from '../env.js';
import { envXml } from './models.js';
import { MujocoEnv, type MujocoStepResult } from './mujoco-env.js';
import { bool, int, num, parseOptions, path, range, type ParsedOptions } from './options.js';
import { sumOfSquares } from './numpy-sum.js';
import { planarDistance } from './swimmer.js';

/** The constructor options of `AntEnv` with their checks and defaults (Gymnasium v5's arguments in camelCase); its options type is derived from it. */
export const ANT_OPTIONS = {
  /** Path of an MJCF file to use instead of the built-in model (Gymnasium's xml_file); default: the built-in model. */
  xmlFile: path(),
  /** MuJoCo steps per env step (Gymnasium's frame_skip; default 5, at least 1); dt = timestep × frameSkip. */
  frameSkip: int(5, 1),
  /** Weight of the forward reward, the x velocity of the main body (default 1). */
  forwardRewardWeight: num(1),
  /** Weight of the control cost Σa² (default 0.5). */
  ctrlCostWeight: num(0.5),
  /** Weight of the contact cost Σ cfrc_ext² of the bodies (default 5e-4). */
  contactCostWeight: num(5e-4),
  /** Reward per step while healthy (default 1.0). */
  healthyReward: num(1.0),
  /** Body id whose x velocity is rewarded (Gymnasium's main_body; default 1, the torso). */
  mainBodyIndex: int(1, 0),
  /** End the episode when the state becomes unhealthy (default true). */
  terminateWhenUnhealthy: bool(true),
  /** The torso's height z must lie in this closed [low, high] range to be healthy (default [0.2, 1.0]). */
  healthyZRange: range(0.2, 1.0),
  /** The bodies' external contact forces cfrc_ext are clipped to this range, in the observation and the contact cost (default [-1.0, 1.0]). */
  contactForceRange: range(-1.0, 1.0),
  /** Scale s of the reset noise on qpos and qvel (default 0.1; the distribution is in the class description). */
  resetNoiseScale: num(0.1),
  /** Leave the x and y position (qpos[0:2]) out of the observation (default true). */
  excludeCurrentPositionsFromObservation: bool(true),
  /** Append the bodies' external contact forces cfrc_ext to the observation (default true). */
  includeCfrcExtInObservation: bool(true),
};

/** Options of `AntEnv` (Gymnasium v5's constructor arguments in camelCase; `main_body` is `mainBodyIndex`, a body id). */
export type AntOptions = Partial<ParsedOptions<typeof ANT_OPTIONS>>;

/**
 * Ant-v5 (Gymnasium v5 rules, own MJCF): a quadruped on a free joint, nq = 15, nv = 14, 8 motors,
 * 14 bodies. Observation: qpos[2:] (13), qvel (14), then clip(cfrc_ext of bodies 1.., contactForceRange)
 * (13 × 6): 105 numbers. Reward: forwardRewardWeight · vx + healthyReward (while healthy)
 * − ctrlCostWeight · Σa² − contactCostWeight · Σ clip(cfrc_ext)² (all bodies), with vx the x
 * velocity of the main body's `xpos` (which lags qpos by one substep, hence the derived state).
 * Healthy: the state is finite and z = qpos[2] in healthyZRange (closed). Terminates when
 * unhealthy. Reset: qpos + U(±s) (the quaternion is not renormalised), qvel + s · N(0, 1).
 * `getState().physics` ends with the main body's xpos (3 numbers). dt = 0.05; 1000-step limit.
 */
export class AntEnv extends MujocoEnv {
  /** The env's options after defaults (every option of its options table). */
  readonly options: ParsedOptions<typeof ANT_OPTIONS>;
  private readonly mainBody: number;

  constructor(options: AntOptions = {}) {
    const o = parseOptions('Ant-v5', ANT_OPTIONS, options);
    const skip = o.excludeCurrentPositionsFromObservation ? 2 : 0;
    super({
      id: 'Ant-v5',
      xml: envXml('Ant-v5', 'ant.xml', o.xmlFile),
      frameSkip: o.frameSkip,
      observationSize: (sim) => sim.nq - skip + sim.nv + (o.includeCfrcExtInObservation ? (sim.nbody - 1) * 6 : 0),
      derivedSize: 3,
    });
    this.options = o;
    if (o.mainBodyIndex >= this.sim.nbody) {
      this.sim.close();
      throw new RangeError(`Ant-v5: option mainBodyIndex must be a body id below ${this.sim.nbody}, got ${o.mainBodyIndex}`);
    }
    this.mainBody = o.mainBodyIndex;
  }

  protected override resetModel(): void {
    const s = this.options.resetNoiseScale;
    this.setQposQvel(this.uniformNoise(this.initQpos, s), this.normalNoise(this.initQvel, s));
  }

  protected override saveDerived(): ArrayLike<number> {
    return this.sim.data('xpos').slice(3 * this.mainBody, 3 * this.mainBody + 3);
  }

  protected override loadDerived(values: Float64Array): void {
    this.sim.data('xpos').set(values, 3 * this.mainBody);
  }

  /** Gymnasium's `is_healthy`: finite state and z in healthyZRange (inclusive). */
  isHealthy(): boolean {
    const qpos = this.sim.data('qpos');
    const qvel = this.sim.data('qvel');
    for (let i = 0; i < qpos.length; i++) if (!Number.isFinite(qpos[i])) return false;
    for (let i = 0; i < qvel.length; i++) if (!Number.isFinite(qvel[i])) return false;
    const [lo, hi] = this.options.healthyZRange;
    return lo <= qpos[2] && qpos[2] <= hi;
  }

  /** cfrc_ext clipped to contactForceRange (nbody × 6, body 0 first). */
  contactForces(): Float64Array {
    const raw = this.sim.data('cfrc_ext');
    const [lo, hi] = this.options.contactForceRange;
    const out = new Float64Array(raw.length);
    for (let i = 0; i < raw.length; i++) out[i] = raw[i] < lo ? lo : raw[i] > hi ? hi : raw[i];
    return out;
  }

  protected computeStep(action: Float64Array): MujocoStepResult {
    const o = this.options;
    const b = 3 * this.mainBody;
    const xpos = this.sim.data('xpos');
    const xBefore = xpos[b];
    const yBefore = xpos[b + 1];
    this.simulate(action);
    const after = this.sim.data('xpos');
    const xVelocity = (after[b] - xBefore) / this.dt;
    const yVelocity = (after[b + 1] - yBefore) / this.dt;
    const forwardReward = xVelocity * o.forwardRewardWeight;
    const healthy = this.isHealthy();
    const healthyReward = healthy ? o.healthyReward : 0;
    const ctrlCost = o.ctrlCostWeight * sumOfSquares(action);
    const contactCost = o.contactCostWeight * sumOfSquares(this.contactForces());
    const reward = forwardReward + healthyReward - (ctrlCost + contactCost);
    const info: Info = {
      ...this.resetInfo(),
      x_velocity: xVelocity,
      y_velocity: yVelocity,
      reward_forward: forwardReward,
      reward_ctrl: -ctrlCost,
      reward_contact: -contactCost,
      reward_survive: healthyReward,
    };
    return { reward, terminated: !healthy && o.terminateWhenUnhealthy, info };
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
    if (this.options.includeCfrcExtInObservation) obs.set(this.contactForces().subarray(6), qpos.length - skip + qvel.length);
    return obs;
  }
}
