import { BaseEnv, float32Obs, resetBounds } from '../base-env.js';
import { Box } from '../spaces.js';

/** Options of `MountainCarContinuousEnv`. */
export interface MountainCarContinuousOptions {
  /** Minimum velocity at the goal for success (default 0). */
  goalVelocity?: number;
}

/**
 * MountainCarContinuous-v0 as in Gymnasium 1.0: force = clip(a, -1, 1);
 * v += 0.0015 force - 0.0025 cos(3 p), clipped to [-0.07, 0.07]; p += v, clipped to
 * [-1.2, 0.6] (v set to 0 at the left wall when moving left); terminates when p >= 0.45 and
 * v >= goalVelocity; reward 100 on success minus 0.1 a^2 with the *unclipped* action.
 * Reset: p ~ U(-0.6, -0.4), v = 0.
 *
 * Float32 details reproduced exactly: Gymnasium stores the state as float32 after each step (the
 * reset state is float64), and under numpy 2 arithmetic and comparisons between those float32
 * scalars and Python floats are done in float32 (e.g. `3 * position`, and the velocity update
 * when the force was clipped), while a float64 action makes the update float64.
 * `make` adds a 999-step time limit.
 */
export class MountainCarContinuousEnv extends BaseEnv<Float64Array> {
  readonly id: string = 'MountainCarContinuous-v0';
  /** Lower bound of the force (actions are clipped to [minAction, maxAction]). */
  static readonly minAction = -1.0;
  /** Upper bound of the force. */
  static readonly maxAction = 1.0;
  /** Left end of the track (an inelastic wall). */
  static readonly minPosition = -1.2;
  /** Right end of the track. */
  static readonly maxPosition = 0.6;
  /** |velocity| is clipped to this. */
  static readonly maxSpeed = 0.07;
  /** The episode terminates (reward +100) when the position reaches this and the velocity is ≥ goalVelocity. */
  static readonly goalPosition = 0.45;
  /** Acceleration per unit of force: v += force · power − 0.0025 cos(3x). */
  static readonly power = 0.0015;

  /** The force, in [−1, 1] (float32). */
  readonly actionSpace = new Box(-1, 1, [1], 'float32');
  /** (position, velocity), float32. */
  readonly observationSpace = new Box([-1.2, -0.07], [0.6, 0.07], [2], 'float32');
  private readonly goalVelocity: number;
  /** Whether `physics` holds float32 values (true after a step, false after reset). */
  private float32State = false;

  constructor(options: MountainCarContinuousOptions = {}) {
    super();
    this.goalVelocity = options.goalVelocity ?? 0;
  }

  protected physicsSize(): number {
    return 2;
  }

  protected override saveExtra(): Record<string, unknown> {
    return { float32State: this.float32State };
  }

  protected override loadExtra(extra: Record<string, unknown> | undefined): void {
    if (extra && typeof extra.float32State === 'boolean') this.float32State = extra.float32State;
    else if (extra === undefined) this.float32State = false;
  }

  protected resetPhysics(options: Record<string, unknown> | undefined): void {
    const [lo, hi] = resetBounds(this.id, options, -0.6, -0.4);
    this.physics = Float64Array.of(this.rng.uniformRange(lo, hi), 0);
    this.float32State = false;
  }

  /** @internal */
  protected transition(action: Float64Array): { reward: number; terminated: boolean } {
    const M = MountainCarContinuousEnv;
    const a = action[0];
    // Mirror numpy 2's scalar types (see `Num`): the state is float32 after a step, the action a
    // float64 scalar, the constants and the clipped force Python floats.
    const kind: Kind = this.float32State ? 'f32' : 'f64';
    let position: Num = { v: this.physics[0], k: kind };
    let velocity: Num = { v: this.physics[1], k: kind };
    // Python's max/min return the constant (a Python float) only when the action is beyond it.
    const force: Num = a < M.minAction ? py(M.minAction) : a > M.maxAction ? py(M.maxAction) : { v: a, k: 'f64' };
    const cos3p = Math.cos(op(py(3), position, (x, y) => x * y).v);
    const dv = op(op(force, py(M.power), (x, y) => x * y), py(0.0025 * cos3p), (x, y) => x - y);
    velocity = op(velocity, dv, (x, y) => x + y);
    if (gt(velocity, M.maxSpeed)) velocity = py(M.maxSpeed);
    if (gt(py(-M.maxSpeed), velocity.v, velocity.k)) velocity = py(-M.maxSpeed);
    position = op(position, velocity, (x, y) => x + y);
    if (gt(position, M.maxPosition)) position = py(M.maxPosition);
    if (gt(py(M.minPosition), position.v, position.k)) position = py(M.minPosition);
    if (eq(position, M.minPosition) && velocity.v < 0) velocity = py(0);
    const terminated = !gt(py(M.goalPosition), position.v, position.k) && !gt(py(this.goalVelocity), velocity.v, velocity.k);
    let reward = terminated ? 100.0 : 0;
    reward -= a ** 2 * 0.1;
    this.physics = Float64Array.of(Math.fround(position.v), Math.fround(velocity.v));
    this.float32State = true;
    return { reward, terminated };
  }

  protected observe(): Float64Array {
    return float32Obs(this.physics);
  }
}

/**
 * numpy 2 scalar kinds (NEP 50): float32 and float64 scalars are "strong", Python floats "weak".
 * float32 op Python float is computed in float32; anything op float64 in float64.
 */
type Kind = 'f32' | 'f64' | 'py';
interface Num {
  v: number;
  k: Kind;
}

function py(v: number): Num {
  return { v, k: 'py' };
}

function resultKind(a: Kind, b: Kind): Kind {
  if (a === 'f64' || b === 'f64') return 'f64';
  if (a === 'f32' || b === 'f32') return 'f32';
  return 'py';
}

/** a op b with numpy 2's promotion; float32 ops are exact double ops rounded to float32. */
function op(a: Num, b: Num, f: (x: number, y: number) => number): Num {
  const k = resultKind(a.k, b.k);
  if (k === 'f32') return { v: Math.fround(f(Math.fround(a.v), Math.fround(b.v))), k };
  return { v: f(a.v, b.v), k };
}

/** a > c where c is a Python float (cast to float32 when a is float32). */
function gt(a: Num, c: number, ck: Kind = 'py'): boolean {
  const k = resultKind(a.k, ck);
  return k === 'f32' ? Math.fround(a.v) > Math.fround(c) : a.v > c;
}

function eq(a: Num, c: number): boolean {
  return a.k === 'f32' ? a.v === Math.fround(c) : a.v === c;
}
