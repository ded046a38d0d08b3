import { envXml } from './models.js';
import { MujocoEnv, type MujocoStepResult } from './mujoco-env.js';
import { int, num, parseOptions, path, type ParsedOptions } from './options.js';

/** The constructor options of `InvertedPendulumEnv` with their checks and defaults (Gymnasium v5's arguments in camelCase); its options type is derived from it. */
export const INVERTED_PENDULUM_OPTIONS = {
  /** Path of an MJCF file to use instead of the built-in model (Gymnasium's xml_file); default: the built-in model. */
  xmlFile: path(),
  /** MuJoCo steps per env step (Gymnasium's frame_skip; default 2, at least 1); dt = timestep × frameSkip. */
  frameSkip: int(2, 1),
  /** Scale s of the reset noise on qpos and qvel (default 0.01; the distribution is in the class description). */
  resetNoiseScale: num(0.01),
};

/** Options of `InvertedPendulumEnv` (Gymnasium v5's constructor arguments in camelCase). */
export type InvertedPendulumOptions = Partial<ParsedOptions<typeof INVERTED_PENDULUM_OPTIONS>>;

/**
 * InvertedPendulum-v5 (Gymnasium v5 rules, own MJCF): a cart on a rail (slider, ctrlrange ±3,
 * gear 100) balancing a hinged pole; nq = nv = 2.
 * Observation: qpos then qvel (4 numbers). Reward: 1 while the pole is up, 0 on the terminating
 * step. Terminates when the observation is not finite or |pole angle qpos[1]| > 0.2 rad.
 * Reset noise U(±resetNoiseScale) on qpos and qvel, from this package's generator.
 * dt = 0.04; `make` adds a 1000-step limit.
 */
export class InvertedPendulumEnv extends MujocoEnv {
  /** The env's options after defaults (every option of its options table). */
  readonly options: ParsedOptions<typeof INVERTED_PENDULUM_OPTIONS>;

  constructor(options: InvertedPendulumOptions = {}) {
    const o = parseOptions('InvertedPendulum-v5', INVERTED_PENDULUM_OPTIONS, options);
    super({ id: 'InvertedPendulum-v5', xml: envXml('InvertedPendulum-v5', 'inverted-pendulum.xml', o.xmlFile), frameSkip: o.frameSkip, observationSize: 4 });
    this.options = o;
  }

  protected override resetNoiseScale(): number {
    return this.options.resetNoiseScale;
  }

  protected computeStep(action: Float64Array): MujocoStepResult {
    this.simulate(action);
    const obs = this.observe();
    const terminated = !obs.every(Number.isFinite) || Math.abs(obs[1]) > 0.2;
    const reward = terminated ? 0 : 1;
    return { reward, terminated, info: { reward_survive: reward } };
  }

  protected observe(): Float64Array {
    const qpos = this.sim.data('qpos');
    const qvel = this.sim.data('qvel');
    return Float64Array.of(qpos[0], qpos[1], qvel[0], qvel[1]);
  }
}
