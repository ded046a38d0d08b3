import type { Info } from '../env.js';
import { envXml } from './models.js';
import { MujocoEnv, type MujocoStepResult } from './mujoco-env.js';
import { norm, numpySum, sumOfSquares } from './numpy-sum.js';
import { bool, int, num, parseOptions, path, range, type ParsedOptions } from './options.js';

/** The constructor options of `HumanoidEnv` with their checks and defaults (Gymnasium v5's arguments in camelCase); its options type is derived from it. */
export const HUMANOID_OPTIONS = {
  /** Path of an MJCF file to use instead of the built-in model (Gymnasium's xml_file); default: the built-in model. */
  xmlFile: path(),
  /** MuJoCo steps per env step (Gymnasium's frame_skip; default 5, at least 1); dt = timestep × frameSkip. */
  frameSkip: int(5, 1),
  /** Weight of the forward reward, the x velocity of the centre of mass (default 1.25). */
  forwardRewardWeight: num(1.25),
  /** Weight of the control cost Σa² (default 0.1). */
  ctrlCostWeight: num(0.1),
  /** Weight of the contact cost Σ cfrc_ext² of the bodies (default 5e-7). */
  contactCostWeight: num(5e-7),
  /** The contact cost is clipped to this [low, high] range (default [-Infinity, 10]). */
  contactCostRange: range(-Infinity, 10),
  /** Reward per step while healthy (default 5). */
  healthyReward: num(5),
  /** End the episode when the state becomes unhealthy (default true). */
  terminateWhenUnhealthy: bool(true),
  /** The torso's height z must lie in this closed [low, high] range to be healthy (default [1, 2]). */
  healthyZRange: range(1, 2),
  /** Scale s of the reset noise on qpos and qvel (default 1e-2; the distribution is in the class description). */
  resetNoiseScale: num(1e-2),
  /** Leave the x and y position (qpos[0:2]) out of the observation (default true). */
  excludeCurrentPositionsFromObservation: bool(true),
  /** Append the bodies' com-based inertias cinert to the observation (default true). */
  includeCinertInObservation: bool(true),
  /** Append the bodies' com-based velocities cvel to the observation (default true). */
  includeCvelInObservation: bool(true),
  /** Append the actuator forces qfrc_actuator to the observation (default true). */
  includeQfrcActuatorInObservation: bool(true),
  /** Append the bodies' external contact forces cfrc_ext to the observation (default true). */
  includeCfrcExtInObservation: bool(true),
};

/** Options of `HumanoidEnv` (Gymnasium v5's constructor arguments in camelCase). */
export type HumanoidOptions = Partial<ParsedOptions<typeof HUMANOID_OPTIONS>>;

/**
 * Observation length for the given options and model sizes (348 for the bundled model: nq 24,
 * nv 23 with a free joint's 6 dofs, 14 bodies of which the world is left out).
 */
export function humanoidObservationSize(o: ParsedOptions<typeof HUMANOID_OPTIONS>, sizes: { nq: number; nv: number; nbody: number } = { nq: 24, nv: 23, nbody: 14 }): number {
  const bodies = sizes.nbody - 1;
  return (
    sizes.nq +
    sizes.nv -
    (o.excludeCurrentPositionsFromObservation ? 2 : 0) +
    (o.includeCinertInObservation ? 10 * bodies : 0) +
    (o.includeCvelInObservation ? 6 * bodies : 0) +
    (o.includeQfrcActuatorInObservation ? sizes.nv - 6 : 0) +
    (o.includeCfrcExtInObservation ? 6 * bodies : 0)
  );
}

/**
 * Humanoid-v5 (Gymnasium v5 rules, own MJCF): a 3-D biped, torso on a free joint, 17 motors
 * (ctrlrange ±0.4).
 * Observation: qpos[2:] (all of qpos if `excludeCurrentPositionsFromObservation` is false), qvel,
 * then for the bodies after the world, optionally: cinert (10 each), cvel (6 each), the actuator
 * forces on the non-root dofs qfrc_actuator[6:], cfrc_ext (6 each): 348 numbers by default.
 * Reward = forwardRewardWeight·vx + healthyReward (only while healthy) − ctrlCostWeight·Σctrl²
 * − clip(contactCostWeight·Σcfrc_ext², contactCostRange), where vx is the x velocity of the mass
 * centre Σ mᵢ·xiposᵢ / Σ mᵢ over the step. Healthy: healthyZRange[0] < torso z (qpos[2]) <
 * healthyZRange[1]; terminates when unhealthy (if terminateWhenUnhealthy). Reset noise
 * U(±resetNoiseScale) on qpos and qvel (the quaternion is not renormalised), from this package's
 * generator. dt = 0.015; `make` adds a 1000-step limit.
 *
 * The mass centre a step starts from is the one the previous step ended with; MuJoCo computed it
 * inside its last substep, so it lags qpos. It is the derived quantity that follows the
 * `mjSTATE_INTEGRATION` vector in `getState().physics` (2 numbers: x, y).
 */
export class HumanoidEnv extends MujocoEnv {
  /** The env's options after defaults (every option of its options table). */
  readonly options: ParsedOptions<typeof HUMANOID_OPTIONS>;
  /** (x, y) of the mass centre seen at the end of the last reset or step. */
  private readonly massCentre = new Float64Array(2);
  private readonly totalMass: number;

  constructor(options: HumanoidOptions = {}) {
    const o = parseOptions('Humanoid-v5', HUMANOID_OPTIONS, options);
    super({ id: 'Humanoid-v5', xml: envXml('Humanoid-v5', 'humanoid.xml', o.xmlFile), frameSkip: o.frameSkip, observationSize: (sim) => humanoidObservationSize(o, sim), derivedSize: 2 });
    this.options = o;
    this.totalMass = numpySum(this.sim.model('body_mass'));
  }

  protected override resetNoiseScale(): number {
    return this.options.resetNoiseScale;
  }

  /** Gymnasium's `mass_center`: (Σ mᵢ·xiposᵢ / Σ mᵢ)[x, y] of the current data, written into `out`. */
  private computeMassCentre(out: Float64Array): void {
    const mass = this.sim.model('body_mass');
    const xipos = this.sim.data('xipos');
    let x = 0;
    let y = 0;
    for (let i = 0; i < mass.length; i++) {
      x += mass[i] * xipos[3 * i];
      y += mass[i] * xipos[3 * i + 1];
    }
    out[0] = x / this.totalMass;
    out[1] = y / this.totalMass;
  }

  protected override resetPhysics(options: Record<string, unknown> | undefined): void {
    super.resetPhysics(options);
    this.computeMassCentre(this.massCentre);
  }

  protected override saveDerived(): ArrayLike<number> {
    return this.massCentre;
  }

  protected override loadDerived(values: Float64Array): void {
    this.massCentre.set(values);
  }

  /** Gymnasium's `is_healthy`: the torso height strictly inside healthyZRange. */
  isHealthy(): boolean {
    const z = this.sim.data('qpos')[2];
    const [lo, hi] = this.options.healthyZRange;
    return lo < z && z < hi;
  }

  protected computeStep(action: Float64Array): MujocoStepResult {
    const o = this.options;
    const [xBefore, yBefore] = this.massCentre;
    this.simulate(action);
    this.computeMassCentre(this.massCentre);
    const xVelocity = (this.massCentre[0] - xBefore) / this.dt;
    const yVelocity = (this.massCentre[1] - yBefore) / this.dt;
    const healthy = this.isHealthy();
    const forwardReward = o.forwardRewardWeight * xVelocity;
    const healthyReward = (healthy ? 1 : 0) * o.healthyReward;
    const ctrlCost = o.ctrlCostWeight * sumOfSquares(this.sim.data('ctrl'));
    const [cLo, cHi] = o.contactCostRange;
    const contactCost = Math.min(Math.max(o.contactCostWeight * sumOfSquares(this.sim.data('cfrc_ext')), cLo), cHi);
    const reward = forwardReward + healthyReward - (ctrlCost + contactCost);
    const info: Info = {
      ...this.resetInfo(),
      x_velocity: xVelocity,
      y_velocity: yVelocity,
      reward_survive: healthyReward,
      reward_forward: forwardReward,
      reward_ctrl: -ctrlCost,
      reward_contact: -contactCost,
    };
    return { reward, terminated: !healthy && o.terminateWhenUnhealthy, info };
  }

  protected override resetInfo(): Info {
    const qpos = this.sim.data('qpos');
    return {
      x_position: qpos[0],
      y_position: qpos[1],
      tendon_length: Array.from(this.sim.data('ten_length')),
      tendon_velocity: Array.from(this.sim.data('ten_velocity')),
      distance_from_origin: norm([qpos[0], qpos[1]]),
    };
  }

  protected observe(): Float64Array {
    const o = this.options;
    const sim = this.sim;
    const obs = new Float64Array(this.observationSpace.size);
    let k = 0;
    const put = (v: Float64Array, from: number): void => {
      for (let i = from; i < v.length; i++) obs[k++] = v[i];
    };
    put(sim.data('qpos'), o.excludeCurrentPositionsFromObservation ? 2 : 0);
    put(sim.data('qvel'), 0);
    if (o.includeCinertInObservation) put(sim.data('cinert'), 10);
    if (o.includeCvelInObservation) put(sim.data('cvel'), 6);
    if (o.includeQfrcActuatorInObservation) put(sim.data('qfrc_actuator'), 6);
    if (o.includeCfrcExtInObservation) put(sim.data('cfrc_ext'), 6);
    return obs;
  }
}
