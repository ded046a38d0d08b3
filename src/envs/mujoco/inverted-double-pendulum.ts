import { envXml } from './models.js';
import { MujocoEnv, type MujocoStepResult } from './mujoco-env.js';
import { int, num, parseOptions, path, type ParsedOptions } from './options.js';
import { sinCos } from './trig.js';

/** The constructor options of `InvertedDoublePendulumEnv` with their checks and defaults (Gymnasium v5's arguments in camelCase); its options type is derived from it. */
export const INVERTED_DOUBLE_PENDULUM_OPTIONS = {
  /** Path of an MJCF file to use instead of the built-in model (Gymnasium's xml_file); default: the built-in model. */
  xmlFile: path(),
  /** MuJoCo steps per env step (Gymnasium's frame_skip; default 5, at least 1); dt = timestep × frameSkip. */
  frameSkip: int(5, 1),
  /** Alive bonus per step (default 10). */
  healthyReward: num(10),
  /** Scale s of the reset noise on qpos and qvel (default 0.1; the distribution is in the class description). */
  resetNoiseScale: num(0.1),
};

/** Clip to [-10, 10]. */
function clip10(x: number): number {
  return x < -10 ? -10 : x > 10 ? 10 : x;
}

/** Options of `InvertedDoublePendulumEnv` (Gymnasium v5's constructor arguments in camelCase). */
export type InvertedDoublePendulumOptions = Partial<ParsedOptions<typeof INVERTED_DOUBLE_PENDULUM_OPTIONS>>;

/**
 * InvertedDoublePendulum-v5 (Gymnasium v5 rules, own MJCF): a cart on a rail (ctrlrange ±1, gear
 * 500) balancing two hinged poles in a chain; nq = nv = 3.
 * Observation (9): cart x, sin and cos of both hinge angles, clip(qvel, ±10), and
 * clip(qfrc_constraint[0], ±10). With (x, _, y) the position of the tip site after the step:
 * reward = healthyReward (0 on the terminating step) − (0.01·x² + (y − 2)²) − (1e-3·ω1² + 5e-3·ω2²),
 * ω = the hinge velocities qvel[1], qvel[2]. Terminates when y ≤ 1.
 * Reset noise: qpos + U(±resetNoiseScale), qvel + resetNoiseScale·N(0, 1), from this package's
 * generator. dt = 0.05; `make` adds a 1000-step limit.
 */
export class InvertedDoublePendulumEnv extends MujocoEnv {
  /** The env's options after defaults (every option of its options table). */
  readonly options: ParsedOptions<typeof INVERTED_DOUBLE_PENDULUM_OPTIONS>;
  private readonly tipSite: number;
  private readonly trig1 = new Float64Array(2);
  private readonly trig2 = new Float64Array(2);

  constructor(options: InvertedDoublePendulumOptions = {}) {
    const o = parseOptions('InvertedDoublePendulum-v5', INVERTED_DOUBLE_PENDULUM_OPTIONS, options);
    const xml = envXml('InvertedDoublePendulum-v5', 'inverted-double-pendulum.xml', o.xmlFile);
    super({ id: 'InvertedDoublePendulum-v5', xml, frameSkip: o.frameSkip, observationSize: 9 });
    this.options = o;
    this.tipSite = this.sim.siteId('tip');
  }

  protected override resetModel(): void {
    const s = this.options.resetNoiseScale;
    const qpos = this.uniformNoise(this.initQpos, s);
    const qvel = this.normalNoise(this.initQvel, s);
    this.setQposQvel(qpos, qvel);
  }

  protected computeStep(action: Float64Array): MujocoStepResult {
    this.simulate(action);
    const tip = this.sim.data('site_xpos');
    const x = tip[3 * this.tipSite];
    const y = tip[3 * this.tipSite + 2];
    const qvel = this.sim.data('qvel');
    const terminated = y <= 1;
    const distPenalty = 0.01 * (x * x) + (y - 2) * (y - 2);
    const velPenalty = 1e-3 * (qvel[1] * qvel[1]) + 5e-3 * (qvel[2] * qvel[2]);
    const aliveBonus = this.options.healthyReward * (terminated ? 0 : 1);
    const reward = aliveBonus - distPenalty - velPenalty;
    return { reward, terminated, info: { reward_survive: aliveBonus, distance_penalty: -distPenalty, velocity_penalty: -velPenalty } };
  }

  protected observe(): Float64Array {
    const qpos = this.sim.data('qpos');
    const qvel = this.sim.data('qvel');
    const qfrc = this.sim.data('qfrc_constraint');
    // correctly rounded sin/cos, as numpy's (Math.sin/cos differ in the last bit now and then)
    const a = this.trig1;
    const b = this.trig2;
    sinCos(qpos[1], a);
    sinCos(qpos[2], b);
    return Float64Array.of(
      qpos[0],
      a[0],
      b[0],
      a[1],
      b[1],
      clip10(qvel[0]),
      clip10(qvel[1]),
      clip10(qvel[2]),
      clip10(qfrc[0]),
    );
  }
}
