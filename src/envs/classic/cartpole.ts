import { BaseEnv, float32Obs, resetBounds } from '../base-env.js';
import { Box, Discrete } from '../spaces.js';

/** Options of `CartPoleEnv`. */
export interface CartPoleOptions {
  /** Reward 0 per step and -1 on failure instead of +1 per step (Gymnasium's `sutton_barto_reward`). */
  suttonBartoReward?: boolean;
  /** `'euler'` (default, Gymnasium's) or `'semi-implicit-euler'`. */
  kinematicsIntegrator?: 'euler' | 'semi-implicit-euler';
}

/**
 * CartPole-v1 (Barto, Sutton & Anderson 1983, with Florian's 2005 corrected equations), as in
 * Gymnasium 1.0: state (x, x_dot, theta, theta_dot); action 0 pushes left, 1 pushes right with
 * 10 N; Euler step tau = 0.02 s; reward +1 per step; terminates when |x| > 2.4 or
 * |theta| > 12 degrees. Reset draws each state coordinate from U(-0.05, 0.05)
 * (`options: { low, high }` changes the bounds). `make` adds a 500-step time limit.
 */
export class CartPoleEnv extends BaseEnv<number> {
  readonly id: string = 'CartPole-v1';
  /** Gravitational acceleration, m/s². */
  static readonly gravity = 9.8;
  /** Mass of the cart, kg. */
  static readonly massCart = 1.0;
  /** Mass of the pole, kg. */
  static readonly massPole = 0.1;
  /** Half the pole's length. */
  static readonly poleHalfLength = 0.5;
  /** Magnitude of the push of either action, N. */
  static readonly forceMag = 10.0;
  /** Time step of the integrator, s. */
  static readonly tau = 0.02;
  /** |θ| beyond which the episode terminates: 12°, in radians. */
  static readonly thetaThreshold = (12 * 2 * Math.PI) / 360;
  /** |x| beyond which the episode terminates, m. */
  static readonly xThreshold = 2.4;

  /** Discrete(2): 0 pushes the cart left, 1 right. */
  readonly actionSpace = new Discrete(2);
  /** (x, ẋ, θ, θ̇), float32; the bounds are twice the termination thresholds (velocities unbounded). */
  readonly observationSpace = new Box(
    [CartPoleEnv.xThreshold * 2, Infinity, CartPoleEnv.thetaThreshold * 2, Infinity].map((v) => -v),
    [CartPoleEnv.xThreshold * 2, Infinity, CartPoleEnv.thetaThreshold * 2, Infinity],
    [4],
    'float32',
  );
  private readonly suttonBarto: boolean;
  private readonly semiImplicit: boolean;

  /** @throws TypeError for an unknown kinematicsIntegrator. */
  constructor(options: CartPoleOptions = {}) {
    super();
    this.suttonBarto = options.suttonBartoReward ?? false;
    const integ = options.kinematicsIntegrator ?? 'euler';
    if (integ !== 'euler' && integ !== 'semi-implicit-euler') throw new TypeError(`CartPole-v1: unknown kinematicsIntegrator ${String(integ)}`);
    this.semiImplicit = integ === 'semi-implicit-euler';
  }

  protected physicsSize(): number {
    return 4;
  }

  protected resetPhysics(options: Record<string, unknown> | undefined): void {
    const [lo, hi] = resetBounds(this.id, options, -0.05, 0.05);
    this.physics = new Float64Array(4);
    for (let i = 0; i < 4; i++) this.physics[i] = this.rng.uniformRange(lo, hi);
  }

  /** @internal */
  protected transition(action: number): { reward: number; terminated: boolean } {
    const C = CartPoleEnv;
    const totalMass = C.massPole + C.massCart;
    const poleMassLength = C.massPole * C.poleHalfLength;
    let [x, xDot, theta, thetaDot] = this.physics;
    const force = action === 1 ? C.forceMag : -C.forceMag;
    const cos = Math.cos(theta);
    const sin = Math.sin(theta);
    // Florian (2005), frictionless cart-pole: angular then linear acceleration.
    const temp = (force + poleMassLength * (thetaDot * thetaDot) * sin) / totalMass;
    const thetaAcc = (C.gravity * sin - cos * temp) / (C.poleHalfLength * (4.0 / 3.0 - (C.massPole * (cos * cos)) / totalMass));
    const xAcc = temp - (poleMassLength * thetaAcc * cos) / totalMass;
    if (!this.semiImplicit) {
      x = x + C.tau * xDot;
      xDot = xDot + C.tau * xAcc;
      theta = theta + C.tau * thetaDot;
      thetaDot = thetaDot + C.tau * thetaAcc;
    } else {
      xDot = xDot + C.tau * xAcc;
      x = x + C.tau * xDot;
      thetaDot = thetaDot + C.tau * thetaAcc;
      theta = theta + C.tau * thetaDot;
    }
    this.physics = Float64Array.of(x, xDot, theta, thetaDot);
    const terminated = x < -C.xThreshold || x > C.xThreshold || theta < -C.thetaThreshold || theta > C.thetaThreshold;
    const reward = this.suttonBarto ? (terminated ? -1.0 : 0.0) : 1.0;
    return { reward, terminated };
  }

  protected observe(): Float64Array {
    return float32Obs(this.physics);
  }
}
