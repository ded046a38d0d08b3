import { BaseEnv, resetBounds } from './base-env.js';
import { Box } from './spaces.js';

/** Options of `PointMass1DEnv`. */
export interface PointMass1DOptions {
  /** Time step (default 0.05). */
  dt?: number;
}

/**
 * PointMass1D-v0, the seed notebook's toy task: drive a damped point mass to the origin.
 *
 * State (x, v); a = clip(action, -1, 1); v <- 0.99 v + a dt; x <- x + v dt (with the new v);
 * dt = 0.05. Reward -(x^2 + 0.1 v^2 + 0.001 a^2) on the new state with the clipped action;
 * when |x| < 0.05 and |v| < 0.05 after the step the reward gets +5 and the episode terminates.
 * Reset: x ~ U(-2, 2), v ~ U(-0.5, 0.5) (`options: { low, high }` scale the x bounds; v keeps
 * U(-0.5, 0.5)). Observations are the exact float64 state (no float32 rounding).
 * `make` adds a 150-step time limit.
 */
export class PointMass1DEnv extends BaseEnv<Float64Array> {
  readonly id: string = 'PointMass1D-v0';
  /** Velocity decay per step: v ← damping · v + a dt. */
  static readonly damping = 0.99;
  /** The goal: |x| and |v| both below this after a step. */
  static readonly goalTolerance = 0.05;
  /** Reward added on reaching the goal (the episode then terminates). */
  static readonly goalBonus = 5;

  /** The force a ∈ [−1, 1] (clipped when stepping). */
  readonly actionSpace = new Box(-1, 1, [1], 'float64');
  /** The state (x, v), unbounded. */
  readonly observationSpace = new Box(-Infinity, Infinity, [2], 'float64');
  /** Time step in seconds. */
  readonly dt: number;

  /** @throws RangeError when dt is not a positive finite number. */
  constructor(options: PointMass1DOptions = {}) {
    super();
    this.dt = options.dt ?? 0.05;
    if (!(this.dt > 0) || !Number.isFinite(this.dt)) throw new RangeError(`PointMass1D-v0: dt must be a positive number, got ${String(options.dt)}`);
  }

  protected physicsSize(): number {
    return 2;
  }

  protected resetPhysics(options: Record<string, unknown> | undefined): void {
    const [lo, hi] = resetBounds(this.id, options, -2, 2);
    const x = this.rng.uniformRange(lo, hi);
    const v = this.rng.uniformRange(-0.5, 0.5);
    this.physics = Float64Array.of(x, v);
  }

  /** @internal */
  protected transition(action: Float64Array): { reward: number; terminated: boolean } {
    const P = PointMass1DEnv;
    let [x, v] = this.physics;
    const a = Math.min(Math.max(action[0], -1), 1);
    v = P.damping * v + a * this.dt;
    x = x + v * this.dt;
    this.physics = Float64Array.of(x, v);
    let reward = -(x * x + 0.1 * v * v + 0.001 * a * a);
    const terminated = Math.abs(x) < P.goalTolerance && Math.abs(v) < P.goalTolerance;
    if (terminated) reward += P.goalBonus;
    return { reward, terminated };
  }

  protected observe(): Float64Array {
    return Float64Array.from(this.physics);
  }
}
