import { BaseEnv, float32Obs, resetBounds } from '../base-env.js';
import { Box, Discrete } from '../spaces.js';

/** Options of `MountainCarEnv`. */
export interface MountainCarOptions {
  /** Minimum velocity at the goal for success (default 0). */
  goalVelocity?: number;
}

/**
 * MountainCar-v0 (Moore 1990) as in Gymnasium 1.0: state (position, velocity); actions
 * 0/1/2 push left/none/right; v += (a - 1) 0.001 - 0.0025 cos(3 p), clipped to [-0.07, 0.07];
 * p += v, clipped to [-1.2, 0.6] (v set to 0 at the left wall when moving left); reward -1 per
 * step; terminates when p >= 0.5 and v >= goalVelocity. Reset: p ~ U(-0.6, -0.4), v = 0.
 * `make` adds a 200-step time limit.
 */
export class MountainCarEnv extends BaseEnv<number> {
  readonly id: string = 'MountainCar-v0';
  /** Left end of the track (an inelastic wall). */
  static readonly minPosition = -1.2;
  /** Right end of the track. */
  static readonly maxPosition = 0.6;
  /** |velocity| is clipped to this. */
  static readonly maxSpeed = 0.07;
  /** The episode terminates when the position reaches this (and the velocity is ≥ goalVelocity). */
  static readonly goalPosition = 0.5;
  /** Acceleration per unit of action: v += (action − 1) · force − cos(3x) · gravity. */
  static readonly force = 0.001;
  /** Gravity term of the velocity update: v −= cos(3x) · gravity. */
  static readonly gravity = 0.0025;

  /** Discrete(3): 0 accelerates left, 1 not at all, 2 right. */
  readonly actionSpace = new Discrete(3);
  /** (position, velocity), float32. */
  readonly observationSpace = new Box([-1.2, -0.07], [0.6, 0.07], [2], 'float32');
  private readonly goalVelocity: number;

  constructor(options: MountainCarOptions = {}) {
    super();
    this.goalVelocity = options.goalVelocity ?? 0;
  }

  protected physicsSize(): number {
    return 2;
  }

  protected resetPhysics(options: Record<string, unknown> | undefined): void {
    const [lo, hi] = resetBounds(this.id, options, -0.6, -0.4);
    this.physics = Float64Array.of(this.rng.uniformRange(lo, hi), 0);
  }

  /** @internal */
  protected transition(action: number): { reward: number; terminated: boolean } {
    const M = MountainCarEnv;
    let [position, velocity] = this.physics;
    velocity += (action - 1) * M.force + Math.cos(3 * position) * -M.gravity;
    velocity = Math.min(Math.max(velocity, -M.maxSpeed), M.maxSpeed);
    position += velocity;
    position = Math.min(Math.max(position, M.minPosition), M.maxPosition);
    if (position === M.minPosition && velocity < 0) velocity = 0;
    const terminated = position >= M.goalPosition && velocity >= this.goalVelocity;
    this.physics = Float64Array.of(position, velocity);
    return { reward: -1.0, terminated };
  }

  protected observe(): Float64Array {
    return float32Obs(this.physics);
  }
}
