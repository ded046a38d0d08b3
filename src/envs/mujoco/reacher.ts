import { envXml } from './models.js';
import { MujocoEnv, type MujocoStepResult } from './mujoco-env.js';
import { norm, sumOfSquares } from './numpy-sum.js';
import { int, num, parseOptions, path, type ParsedOptions } from './options.js';
import { sinCos } from './trig.js';

/** The constructor options of `ReacherEnv` with their checks and defaults (Gymnasium v5's arguments in camelCase); its options type is derived from it. */
export const REACHER_OPTIONS = {
  /** Path of an MJCF file to use instead of the built-in model (Gymnasium's xml_file); default: the built-in model. */
  xmlFile: path(),
  /** MuJoCo steps per env step (Gymnasium's frame_skip; default 2, at least 1); dt = timestep × frameSkip. */
  frameSkip: int(2, 1),
  /** Weight of the distance reward −‖fingertip − target‖ (default 1). */
  rewardDistWeight: num(1),
  /** Weight of the control reward −Σa² (default 1). */
  rewardControlWeight: num(1),
};

/** Options of `ReacherEnv` (Gymnasium v5's constructor arguments in camelCase). */
export type ReacherOptions = Partial<ParsedOptions<typeof REACHER_OPTIONS>>;

/** Radius of the disc the goal is drawn from (by rejection from the square of half-width 0.2). */
export const REACHER_GOAL_RADIUS = 0.2;

/**
 * Reacher-v5 (Gymnasium v5 rules, own MJCF): a two-link planar arm (2 motors, ctrlrange ±1, gear
 * 200) whose fingertip should reach a target; qpos = (joint0, joint1, target x, target y).
 * Observation (10): cos and sin of the two joint angles, the target position qpos[2:4], the joint
 * velocities qvel[0:2], and (fingertip − target)[x, y] from the bodies' positions.
 * Reward (after the step) = −rewardDistWeight·‖fingertip − target‖ (3-D) − rewardControlWeight·Σa².
 * Never terminates; `make` adds a 50-step limit. dt = 0.02.
 * Reset, with this package's generator in Gymnasium's order: qpos = qpos0 + U(±0.1); the goal is
 * drawn from U(±0.2)² until it lies strictly inside the disc of radius 0.2 and replaces the target's
 * qpos; qvel = U(±0.005) with the target's velocity 0.
 */
export class ReacherEnv extends MujocoEnv {
  /** The env's options after defaults (every option of its options table). */
  readonly options: ParsedOptions<typeof REACHER_OPTIONS>;
  private readonly fingertipBody: number;
  private readonly targetBody: number;
  private readonly trig0 = new Float64Array(2);
  private readonly trig1 = new Float64Array(2);

  constructor(options: ReacherOptions = {}) {
    const o = parseOptions('Reacher-v5', REACHER_OPTIONS, options);
    super({ id: 'Reacher-v5', xml: envXml('Reacher-v5', 'reacher.xml', o.xmlFile), frameSkip: o.frameSkip, observationSize: 10 });
    this.options = o;
    this.fingertipBody = this.sim.bodyId('fingertip');
    this.targetBody = this.sim.bodyId('target');
  }

  protected override resetModel(): void {
    const qpos = this.uniformNoise(this.initQpos, 0.1);
    let goalX: number;
    let goalY: number;
    do {
      goalX = this.rng.uniformRange(-0.2, 0.2);
      goalY = this.rng.uniformRange(-0.2, 0.2);
    } while (!(norm([goalX, goalY]) < REACHER_GOAL_RADIUS));
    const nq = qpos.length;
    qpos[nq - 2] = goalX;
    qpos[nq - 1] = goalY;
    const qvel = this.uniformNoise(this.initQvel, 0.005);
    qvel[qvel.length - 2] = 0;
    qvel[qvel.length - 1] = 0;
    this.setQposQvel(qpos, qvel);
  }

  /** fingertip − target, from the bodies' world positions (Gymnasium's `get_body_com`, which reads `xpos`). */
  private fingertipToTarget(): [number, number, number] {
    const xpos = this.sim.data('xpos');
    const f = 3 * this.fingertipBody;
    const t = 3 * this.targetBody;
    return [xpos[f] - xpos[t], xpos[f + 1] - xpos[t + 1], xpos[f + 2] - xpos[t + 2]];
  }

  protected computeStep(action: Float64Array): MujocoStepResult {
    const o = this.options;
    this.simulate(action);
    const rewardDist = -norm(this.fingertipToTarget()) * o.rewardDistWeight;
    const rewardCtrl = -sumOfSquares(action) * o.rewardControlWeight;
    return { reward: rewardDist + rewardCtrl, terminated: false, info: { reward_dist: rewardDist, reward_ctrl: rewardCtrl } };
  }

  protected observe(): Float64Array {
    const qpos = this.sim.data('qpos');
    const qvel = this.sim.data('qvel');
    const [dx, dy] = this.fingertipToTarget();
    // correctly rounded sin/cos, as numpy's (Math.sin/cos differ in the last bit now and then)
    const a = this.trig0;
    const b = this.trig1;
    sinCos(qpos[0], a);
    sinCos(qpos[1], b);
    return Float64Array.of(a[1], b[1], a[0], b[0], qpos[2], qpos[3], qvel[0], qvel[1], dx, dy);
  }
}
