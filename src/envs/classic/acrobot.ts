import { BaseEnv, float32Obs, resetBounds } from '../base-env.js';
import { Box, Discrete } from '../spaces.js';

/** Options of `AcrobotEnv`. */
export interface AcrobotOptions {
  /** `'book'` (default; Sutton & Barto's equations, as Gymnasium) or `'nips'` (Sutton 1996). */
  dynamics?: 'book' | 'nips';
  /** Uniform noise added to the torque, U(-max, max) (default 0, as Gymnasium). */
  torqueNoiseMax?: number;
}

const MAX_VEL_1 = 4 * Math.PI;
const MAX_VEL_2 = 9 * Math.PI;

/**
 * Acrobot-v1 as in Gymnasium 1.0: two unit links with unit masses, centres of mass at 0.5 and
 * unit moments of inertia; torque -1, 0, +1 on the second joint; one RK4 step of dt = 0.2 s;
 * angles wrapped to [-pi, pi], velocities bounded to 4 pi and 9 pi; reward -1 per step (0 on
 * the terminal step); terminates when -cos(t1) - cos(t1 + t2) > 1. Reset draws the 4 state
 * values from U(-0.1, 0.1) rounded to float32 (as Gymnasium stores them). Observation
 * (cos t1, sin t1, cos t2, sin t2, dt1, dt2). `make` adds a 500-step time limit.
 */
export class AcrobotEnv extends BaseEnv<number> {
  readonly id: string = 'Acrobot-v1';
  /** Time step of one action, s (integrated by one RK4 step). */
  static readonly dt = 0.2;
  /** Length of link 1, m. */
  static readonly linkLength1 = 1.0;
  /** Mass of link 1, kg. */
  static readonly linkMass1 = 1.0;
  /** Mass of link 2, kg. */
  static readonly linkMass2 = 1.0;
  /** Position of link 1's centre of mass along it, m. */
  static readonly linkComPos1 = 0.5;
  /** Position of link 2's centre of mass along it, m. */
  static readonly linkComPos2 = 0.5;
  /** Moment of inertia of each link about its centre of mass. */
  static readonly linkMoi = 1.0;
  /** Bound of θ̇₁ (4π rad/s): the state is clipped to it. */
  static readonly maxVel1 = MAX_VEL_1;
  /** Bound of θ̇₂ (9π rad/s): the state is clipped to it. */
  static readonly maxVel2 = MAX_VEL_2;
  /** The torque of each action on the joint between the links: −1, 0, +1. */
  static readonly availTorque: readonly number[] = [-1.0, 0.0, 1.0];

  /** Discrete(3): torque −1, 0 or +1 (availTorque). */
  readonly actionSpace = new Discrete(3);
  /** (cos θ₁, sin θ₁, cos θ₂, sin θ₂, θ̇₁, θ̇₂), float32. */
  readonly observationSpace = new Box([-1, -1, -1, -1, -MAX_VEL_1, -MAX_VEL_2], [1, 1, 1, 1, MAX_VEL_1, MAX_VEL_2], [6], 'float32');
  private readonly book: boolean;
  private readonly torqueNoiseMax: number;

  /** @throws TypeError for an unknown `dynamics`. */
  constructor(options: AcrobotOptions = {}) {
    super();
    const dyn = options.dynamics ?? 'book';
    if (dyn !== 'book' && dyn !== 'nips') throw new TypeError(`Acrobot-v1: unknown dynamics ${String(dyn)}`);
    this.book = dyn === 'book';
    this.torqueNoiseMax = options.torqueNoiseMax ?? 0;
  }

  protected physicsSize(): number {
    return 4;
  }

  protected resetPhysics(options: Record<string, unknown> | undefined): void {
    const [lo, hi] = resetBounds(this.id, options, -0.1, 0.1);
    this.physics = new Float64Array(4);
    for (let i = 0; i < 4; i++) this.physics[i] = Math.fround(this.rng.uniformRange(lo, hi));
  }

  /** Time derivative of (t1, t2, dt1, dt2) under torque `a` (Sutton & Barto's acrobot equations). */
  private derivs(s: Float64Array, a: number, out: Float64Array): void {
    const A = AcrobotEnv;
    const m1 = A.linkMass1, m2 = A.linkMass2, l1 = A.linkLength1, lc1 = A.linkComPos1, lc2 = A.linkComPos2;
    const I1 = A.linkMoi, I2 = A.linkMoi, g = 9.8;
    const [theta1, theta2, dtheta1, dtheta2] = s;
    const d1 = m1 * lc1 ** 2 + m2 * (l1 ** 2 + lc2 ** 2 + 2 * l1 * lc2 * Math.cos(theta2)) + I1 + I2;
    const d2 = m2 * (lc2 ** 2 + l1 * lc2 * Math.cos(theta2)) + I2;
    const phi2 = m2 * lc2 * g * Math.cos(theta1 + theta2 - Math.PI / 2.0);
    const phi1 =
      -m2 * l1 * lc2 * dtheta2 ** 2 * Math.sin(theta2) -
      2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * Math.sin(theta2) +
      (m1 * lc1 + m2 * l1) * g * Math.cos(theta1 - Math.PI / 2) +
      phi2;
    const ddtheta2 = this.book
      ? (a + (d2 / d1) * phi1 - m2 * l1 * lc2 * dtheta1 ** 2 * Math.sin(theta2) - phi2) / (m2 * lc2 ** 2 + I2 - d2 ** 2 / d1)
      : (a + (d2 / d1) * phi1 - phi2) / (m2 * lc2 ** 2 + I2 - d2 ** 2 / d1);
    const ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
    out[0] = dtheta1;
    out[1] = dtheta2;
    out[2] = ddtheta1;
    out[3] = ddtheta2;
  }

  /** @internal */
  protected transition(action: number): { reward: number; terminated: boolean } {
    let torque = AcrobotEnv.availTorque[action];
    if (this.torqueNoiseMax > 0) torque += this.rng.uniformRange(-this.torqueNoiseMax, this.torqueNoiseMax);
    // One classical RK4 step over [0, dt]: y + dt/6 (k1 + 2 k2 + 2 k3 + k4).
    const dt = AcrobotEnv.dt;
    const dt2 = dt / 2.0;
    const y = this.physics;
    const k1 = new Float64Array(4), k2 = new Float64Array(4), k3 = new Float64Array(4), k4 = new Float64Array(4);
    const tmp = new Float64Array(4);
    this.derivs(y, torque, k1);
    for (let i = 0; i < 4; i++) tmp[i] = y[i] + dt2 * k1[i];
    this.derivs(tmp, torque, k2);
    for (let i = 0; i < 4; i++) tmp[i] = y[i] + dt2 * k2[i];
    this.derivs(tmp, torque, k3);
    for (let i = 0; i < 4; i++) tmp[i] = y[i] + dt * k3[i];
    this.derivs(tmp, torque, k4);
    const ns = new Float64Array(4);
    for (let i = 0; i < 4; i++) ns[i] = y[i] + (dt / 6.0) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
    ns[0] = wrap(ns[0], -Math.PI, Math.PI);
    ns[1] = wrap(ns[1], -Math.PI, Math.PI);
    ns[2] = Math.min(Math.max(ns[2], -MAX_VEL_1), MAX_VEL_1);
    ns[3] = Math.min(Math.max(ns[3], -MAX_VEL_2), MAX_VEL_2);
    this.physics = ns;
    const terminated = -Math.cos(ns[0]) - Math.cos(ns[1] + ns[0]) > 1.0;
    return { reward: terminated ? 0.0 : -1.0, terminated };
  }

  protected observe(): Float64Array {
    const [t1, t2, d1, d2] = this.physics;
    return float32Obs([Math.cos(t1), Math.sin(t1), Math.cos(t2), Math.sin(t2), d1, d2]);
  }
}

/** Shift x by multiples of (hi - lo) into [lo, hi] (by repeated subtraction, as Gymnasium). */
function wrap(x: number, lo: number, hi: number): number {
  const diff = hi - lo;
  while (x > hi) x -= diff;
  while (x < lo) x += diff;
  return x;
}
