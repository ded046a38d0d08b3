import { envXml } from './models.js';
import { MujocoEnv, type MujocoStepResult } from './mujoco-env.js';
import { norm, sumOfSquares } from './numpy-sum.js';
import { int, num, parseOptions, path, type ParsedOptions } from './options.js';

/** The constructor options of `PusherEnv` with their checks and defaults (Gymnasium v5's arguments in camelCase); its options type is derived from it. */
export const PUSHER_OPTIONS = {
  /** Path of an MJCF file to use instead of the built-in model (Gymnasium's xml_file); default: the built-in model. */
  xmlFile: path(),
  /** MuJoCo steps per env step (Gymnasium's frame_skip; default 5, at least 1); dt = timestep × frameSkip. */
  frameSkip: int(5, 1),
  /** Weight of the reward −‖fingertip − object‖ (default 0.5). */
  rewardNearWeight: num(0.5),
  /** Weight of the distance reward −‖object − goal‖ (default 1). */
  rewardDistWeight: num(1),
  /** Weight of the control reward −Σa² (default 0.1). */
  rewardControlWeight: num(0.1),
};

/** Options of `PusherEnv` (Gymnasium v5's constructor arguments in camelCase). */
export type PusherOptions = Partial<ParsedOptions<typeof PUSHER_OPTIONS>>;

/** The object starts farther than this from the goal (rejection sampling). */
export const PUSHER_MIN_OBJECT_GOAL_DISTANCE = 0.17;

/**
 * Pusher-v5 (Gymnasium v5 rules, own MJCF): a 7-joint arm (motors, ctrlrange ±2, no gravity)
 * pushing a cylinder on a table to a goal; qpos = 7 arm joints, object (y, x), goal (y, x).
 * Observation (23): arm qpos[0:7], arm qvel[0:7], then the positions of the fingertips body
 * (`tips_arm`), the object and the goal. Reward (after the step) = −rewardDistWeight·‖object − goal‖
 * − rewardControlWeight·Σa² − rewardNearWeight·‖object − tips‖. Never terminates; `make` adds
 * Gymnasium's 100-step limit. dt = 0.05.
 * Reset, with this package's generator in Gymnasium's order: the arm at qpos0 (no noise); the
 * object's slide joints (y, x) drawn as (U(−0.3, 0), U(−0.2, 0.2)) until farther than 0.17 from
 * the goal, which stays at (0, 0); the arm's qvel U(±0.005), the object's and goal's 0.
 */
export class PusherEnv extends MujocoEnv {
  /** The env's options after defaults (every option of its options table). */
  readonly options: ParsedOptions<typeof PUSHER_OPTIONS>;
  private readonly tipsBody: number;
  private readonly objectBody: number;
  private readonly goalBody: number;

  constructor(options: PusherOptions = {}) {
    const o = parseOptions('Pusher-v5', PUSHER_OPTIONS, options);
    super({ id: 'Pusher-v5', xml: envXml('Pusher-v5', 'pusher.xml', o.xmlFile), frameSkip: o.frameSkip, observationSize: 23 });
    this.options = o;
    this.tipsBody = this.sim.bodyId('tips_arm');
    this.objectBody = this.sim.bodyId('object');
    this.goalBody = this.sim.bodyId('goal');
  }

  protected override resetModel(): void {
    const qpos = Float64Array.from(this.initQpos);
    const goal = [0, 0];
    let objectY: number;
    let objectX: number;
    do {
      objectY = this.rng.uniformRange(-0.3, 0);
      objectX = this.rng.uniformRange(-0.2, 0.2);
    } while (!(norm([objectY - goal[0], objectX - goal[1]]) > PUSHER_MIN_OBJECT_GOAL_DISTANCE));
    const nq = qpos.length;
    qpos[nq - 4] = objectY;
    qpos[nq - 3] = objectX;
    qpos[nq - 2] = goal[0];
    qpos[nq - 1] = goal[1];
    const qvel = this.uniformNoise(this.initQvel, 0.005);
    qvel.fill(0, qvel.length - 4);
    this.setQposQvel(qpos, qvel);
  }

  /** `a − b` of two bodies' world positions (Gymnasium's `get_body_com` reads `xpos`). */
  private between(a: number, b: number): [number, number, number] {
    const xpos = this.sim.data('xpos');
    return [xpos[3 * a] - xpos[3 * b], xpos[3 * a + 1] - xpos[3 * b + 1], xpos[3 * a + 2] - xpos[3 * b + 2]];
  }

  protected computeStep(action: Float64Array): MujocoStepResult {
    const o = this.options;
    this.simulate(action);
    const rewardNear = -norm(this.between(this.objectBody, this.tipsBody)) * o.rewardNearWeight;
    const rewardDist = -norm(this.between(this.objectBody, this.goalBody)) * o.rewardDistWeight;
    const rewardCtrl = -sumOfSquares(action) * o.rewardControlWeight;
    const reward = rewardDist + rewardCtrl + rewardNear;
    return { reward, terminated: false, info: { reward_dist: rewardDist, reward_ctrl: rewardCtrl, reward_near: rewardNear } };
  }

  protected observe(): Float64Array {
    const qpos = this.sim.data('qpos');
    const qvel = this.sim.data('qvel');
    const xpos = this.sim.data('xpos');
    const obs = new Float64Array(23);
    for (let i = 0; i < 7; i++) {
      obs[i] = qpos[i];
      obs[7 + i] = qvel[i];
    }
    let k = 14;
    for (const body of [this.tipsBody, this.objectBody, this.goalBody]) {
      for (let j = 0; j < 3; j++) obs[k++] = xpos[3 * body + j];
    }
    return obs;
  }
}
