import { BaseEnv, float32Obs } from '../base-env.js';
import { Box } from '../spaces.js';

/** Options of `PendulumEnv`. */
export interface PendulumOptions {
  /** Gravity (default 10.0, as Gymnasium). */
  g?: number;
}

/**
 * Pendulum-v1 as in Gymnasium 1.0: state (theta, theta_dot), theta = 0 upright; torque
 * u = clip(a, -2, 2); cost = normalize(theta)^2 + 0.1 theta_dot^2 + 0.001 u^2 (on the state
 * before the step), reward = -cost; theta_dot += (3 g / 2 l sin(theta) + 3 / (m l^2) u) dt,
 * clipped to [-8, 8]; theta += theta_dot dt (semi-implicit Euler, dt = 0.05); never terminates.
 * Reset: theta ~ U(-pi, pi), theta_dot ~ U(-1, 1) (`options: { x_init, y_init }` change the
 * bounds). Observation (cos theta, sin theta, theta_dot). `make` adds a 200-step time limit.
 */
export class PendulumEnv extends BaseEnv<Float64Array> {
  readonly id: string = 'Pendulum-v1';
  /** |θ̇| is clipped to this, rad/s. */
  static readonly maxSpeed = 8;
  /** Bound of the torque, N·m (actions are clipped to [−maxTorque, maxTorque]). */
  static readonly maxTorque = 2.0;
  /** Time step, s. */
  static readonly dt = 0.05;
  /** Mass of the pendulum, kg. */
  static readonly m = 1.0;
  /** Length of the pendulum, m. */
  static readonly l = 1.0;

  /** The torque, in [−2, 2] (float32). */
  readonly actionSpace = new Box(-2, 2, [1], 'float32');
  /** (cos θ, sin θ, θ̇), float32. */
  readonly observationSpace = new Box([-1, -1, -8], [1, 1, 8], [3], 'float32');
  /** Gravitational acceleration, m/s² (options.g, default 10). */
  readonly g: number;

  constructor(options: PendulumOptions = {}) {
    super();
    this.g = options.g ?? 10.0;
  }

  protected physicsSize(): number {
    return 2;
  }

  protected resetPhysics(options: Record<string, unknown> | undefined): void {
    const x = options?.x_init ?? Math.PI;
    const y = options?.y_init ?? 1.0;
    if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) {
      throw new TypeError(`${this.id} reset: options.x_init/y_init must be finite numbers, got ${String(x)}, ${String(y)}`);
    }
    // Symmetric bounds [-high, high]; numpy draws low + (high - low) * u.
    this.physics = Float64Array.of(this.rng.uniformRange(-x, x), this.rng.uniformRange(-y, y));
  }

  /** @internal */
  protected transition(action: Float64Array): { reward: number; terminated: boolean } {
    const P = PendulumEnv;
    const [th, thdot] = this.physics;
    const u = Math.min(Math.max(action[0], -P.maxTorque), P.maxTorque);
    const costs = angleNormalize(th) ** 2 + 0.1 * thdot ** 2 + 0.001 * u ** 2;
    let newthdot = thdot + (((3 * this.g) / (2 * P.l)) * Math.sin(th) + (3.0 / (P.m * P.l ** 2)) * u) * P.dt;
    newthdot = Math.min(Math.max(newthdot, -P.maxSpeed), P.maxSpeed);
    const newth = th + newthdot * P.dt;
    this.physics = Float64Array.of(newth, newthdot);
    return { reward: -costs, terminated: false };
  }

  protected observe(): Float64Array {
    const [th, thdot] = this.physics;
    return float32Obs([Math.cos(th), Math.sin(th), thdot]);
  }
}

/** ((x + pi) mod 2 pi) - pi with a floored modulo (result in [-pi, pi)). */
function angleNormalize(x: number): number {
  const m = 2 * Math.PI;
  let r = (x + Math.PI) % m;
  if (r !== 0 && r < 0) r += m;
  return r - Math.PI;
}
