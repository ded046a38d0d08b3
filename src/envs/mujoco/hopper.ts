import { envXml } from './models.js';
import { bool, int, num, parseOptions, path, range, type ParsedOptions } from './options.js';
import { PlanarWalkerEnv } from './planar-walker.js';

/** The constructor options of `HopperEnv` with their checks and defaults (Gymnasium v5's arguments in camelCase); its options type is derived from it. */
export const HOPPER_OPTIONS = {
  /** Path of an MJCF file to use instead of the built-in model (Gymnasium's xml_file); default: the built-in model. */
  xmlFile: path(),
  /** MuJoCo steps per env step (Gymnasium's frame_skip; default 4, at least 1); dt = timestep × frameSkip. */
  frameSkip: int(4, 1),
  /** Weight of the forward reward, the x velocity of the torso (default 1.0). */
  forwardRewardWeight: num(1.0),
  /** Weight of the control cost Σa² (default 1e-3). */
  ctrlCostWeight: num(1e-3),
  /** Reward per step while healthy (default 1.0). */
  healthyReward: num(1.0),
  /** End the episode when the state becomes unhealthy (default true). */
  terminateWhenUnhealthy: bool(true),
  /** Every entry of the state but x and z (qpos[2:] and qvel) must lie in this closed range to be healthy (default [-100, 100]). */
  healthyStateRange: range(-100, 100),
  /** The torso's height z must lie in this closed [low, high] range to be healthy (default [0.7, Infinity]). */
  healthyZRange: range(0.7, Infinity),
  /** The torso's angle must lie in this closed range to be healthy (default [-0.2, 0.2]). */
  healthyAngleRange: range(-0.2, 0.2),
  /** Scale s of the reset noise on qpos and qvel (default 5e-3; the distribution is in the class description). */
  resetNoiseScale: num(5e-3),
  /** Leave the x position (qpos[0]) out of the observation (default true). */
  excludeCurrentPositionsFromObservation: bool(true),
};

/** Options of `HopperEnv` (Gymnasium v5's constructor arguments in camelCase). */
export type HopperOptions = Partial<ParsedOptions<typeof HOPPER_OPTIONS>>;

/**
 * Hopper-v5 (Gymnasium v5 rules, own MJCF): a one-legged planar hopper, nq = nv = 6, 3 motors
 * (rules shared with Walker2d in `PlanarWalkerEnv`). Observation 11 numbers (12 with x).
 * Healthy: z = qpos[1] in healthyZRange, the torso angle qpos[2] in healthyAngleRange and every
 * entry of (qpos, qvel)[2:] in healthyStateRange (open intervals). Reset noise U(±0.005).
 * dt = 0.008; `make` adds a 1000-step limit.
 */
export class HopperEnv extends PlanarWalkerEnv<ParsedOptions<typeof HOPPER_OPTIONS>> {
  constructor(options: HopperOptions = {}) {
    const o = parseOptions('Hopper-v5', HOPPER_OPTIONS, options);
    super({ id: 'Hopper-v5', xml: envXml('Hopper-v5', 'hopper.xml', o.xmlFile), frameSkip: o.frameSkip }, o);
  }

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
}
