import { envXml } from './models.js';
import { bool, int, num, parseOptions, path, range, type ParsedOptions } from './options.js';
import { PlanarWalkerEnv } from './planar-walker.js';

const WALKER2D_OPTIONS = {
  xmlFile: path(),
  frameSkip: int(4, 1),
  forwardRewardWeight: num(1.0),
  ctrlCostWeight: num(1e-3),
  healthyReward: num(1.0),
  terminateWhenUnhealthy: bool(true),
  healthyZRange: range(0.8, 2.0),
  healthyAngleRange: range(-1, 1),
  resetNoiseScale: num(5e-3),
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
