import { envXml } from './models.js';
import { bool, int, num, parseOptions, path, range, type ParsedOptions } from './options.js';
import { PlanarWalkerEnv } from './planar-walker.js';

/** The constructor options of `Walker2dEnv` with their checks and defaults (Gymnasium v5's arguments in camelCase); its options type is derived from it. */
export const WALKER2D_OPTIONS = {
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
  /** The torso's height z must lie in this closed [low, high] range to be healthy (default [0.8, 2.0]). */
  healthyZRange: range(0.8, 2.0),
  /** The torso's angle must lie in this closed range to be healthy (default [-1, 1]). */
  healthyAngleRange: range(-1, 1),
  /** Scale s of the reset noise on qpos and qvel (default 5e-3; the distribution is in the class description). */
  resetNoiseScale: num(5e-3),
  /** Leave the x position (qpos[0]) out of the observation (default true). */
  excludeCurrentPositionsFromObservation: bool(true),
};

/** Options of `Walker2dEnv` (Gymnasium v5's constructor arguments in camelCase). */
export type Walker2dOptions = Partial<ParsedOptions<typeof WALKER2D_OPTIONS>>;

/**
 * Walker2d-v5 (Gymnasium v5 rules, own MJCF): a planar biped, nq = nv = 9, 6 motors (rules shared
 * with Hopper in `PlanarWalkerEnv`; v5's model gives both feet friction 1.9). Observation 17
 * numbers (18 with x). Healthy: z = qpos[1] in healthyZRange and the torso angle qpos[2] in
 * healthyAngleRange (open intervals). Reset noise U(±0.005). dt = 0.008; `make` adds a
 * 1000-step limit.
 */
export class Walker2dEnv extends PlanarWalkerEnv<ParsedOptions<typeof WALKER2D_OPTIONS>> {
  constructor(options: Walker2dOptions = {}) {
    const o = parseOptions('Walker2d-v5', WALKER2D_OPTIONS, options);
    super({ id: 'Walker2d-v5', xml: envXml('Walker2d-v5', 'walker2d.xml', o.xmlFile), frameSkip: o.frameSkip }, o);
  }

  isHealthy(): boolean {
    const qpos = this.sim.data('qpos');
    const [zLo, zHi] = this.options.healthyZRange;
    const [aLo, aHi] = this.options.healthyAngleRange;
    return zLo < qpos[1] && qpos[1] < zHi && aLo < qpos[2] && qpos[2] < aHi;
  }
}
