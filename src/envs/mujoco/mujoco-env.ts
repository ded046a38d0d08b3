import { BaseEnv, type BaseEnvState } from '../base-env.js';
import type { Info } from '../env.js';
import { Box } from '../spaces.js';
import { MujocoSimulation, type MujocoWarnings } from './simulation.js';

/** What a MuJoCo env passes to `MujocoEnv`'s constructor. */
export interface MujocoEnvConfig {
  /** Registered id, used in messages. */
  id: string;
  /** The model as an MJCF string. */
  xml: string;
  /** MuJoCo steps per env step (Gymnasium's `frame_skip`). */
  frameSkip: number;
  /** Observation length, or a function of the compiled model giving it. */
  observationSize: number | ((sim: MujocoSimulation) => number);
  /** Length of the derived quantities appended to the state (see `saveDerived`). Default 0. */
  derivedSize?: number;
}

/** The result of a subclass's `computeStep`. */
export interface MujocoStepResult {
  /** The step's reward. */
  reward: number;
  /** Whether the new state is terminal (unhealthy, for the envs that terminate). */
  terminated: boolean;
  /** The step's info (the reward terms and positions Gymnasium v5 reports). */
  info: Info;
}

/**
 * Base class of the MuJoCo envs, following Gymnasium v5's `MujocoEnv`:
 * - the model is compiled from the env's MJCF string; `dt = timestep × frameSkip`;
 * - action space `Box(actuator_ctrlrange)` (float32 bounds); actions are written to `ctrl`
 *   unclipped (MuJoCo clamps the actuator force to ctrlrange, control costs use the raw action);
 * - `reset`: `mj_resetData`, then `resetModel()` writes qpos/qvel (qpos0 + noise, 0 + noise), then
 *   `mj_forward`. The noise comes from this package's seeded generator (`Random`, xoshiro128**),
 *   not numpy's, so seeds give different initial states than Gymnasium; everything after the
 *   initial state matches Gymnasium + MuJoCo 3.14.0 bit for bit;
 * - `simulate(action)`: ctrl = action, `mj_step` × frameSkip, `mj_rnePostConstraint`;
 * - state: `getState().physics` is MuJoCo's `mjSTATE_INTEGRATION` vector (`mj_getState` order)
 *   followed by `derivedSize` derived numbers the next step reads (e.g. Ant's torso xpos);
 *   `setState({ physics })` runs `mj_setState`, `mj_forward`, then `loadDerived`;
 * - instability: when MuJoCo flags bad qpos/qvel/qacc it resets the data; the step's `info` then
 *   has `unstable: true` and the warning counts (`badQpos`, `badQvel`, `badQacc`). A state that is
 *   not finite after a step throws a RangeError naming the env (no NaN observation gets through);
 * - `close()` frees the MuJoCo model, data and buffers (idempotent); any later use throws;
 * - the env constructors throw a TypeError naming an unknown option (with the camelCase spelling
 *   for a snake_case name), a TypeError/RangeError for a mistyped or out-of-range value, and an
 *   Error when the engine is not loaded yet (`loadMujoco()`, or `makeAsync`/`makeVecEnv`).
 *
 * Subclasses implement `computeStep` (call `simulate` inside, read quantities before and after),
 * `observe`, and optionally `resetModel`, `resetInfo`, `saveDerived`/`loadDerived`.
 */
export abstract class MujocoEnv extends BaseEnv<Float64Array> {
  readonly id: string;
  /** Box(−∞, ∞, (observation length,)), float64. */
  readonly observationSpace: Box;
  /** Box(actuator_ctrlrange) with float32 bounds, one entry per actuator (nu). */
  readonly actionSpace: Box;
  /** MuJoCo steps per env step. */
  readonly frameSkip: number;
  /** Env step duration: model timestep × frameSkip. */
  readonly dt: number;
  /** The model's initial qpos (`qpos0`, length nq), Gymnasium's `init_qpos`. */
  readonly initQpos: Float64Array;
  /** The model's initial qvel (zeros, length nv), Gymnasium's `init_qvel`. */
  readonly initQvel: Float64Array;
  /** The MJCF text the model was compiled from. */
  readonly modelXml: string;
  /** The compiled model and its data (the MuJoCo handles; freed by close()). */
  protected readonly sim: MujocoSimulation;
  private readonly derivedSize: number;

  constructor(config: MujocoEnvConfig) {
    super();
    this.id = config.id;
    this.frameSkip = config.frameSkip;
    this.derivedSize = config.derivedSize ?? 0;
    this.modelXml = config.xml;
    this.sim = new MujocoSimulation(config.id, config.xml);
    const sim = this.sim;
    this.dt = sim.timestep * this.frameSkip;
    this.initQpos = Float64Array.from(sim.model('qpos0'));
    this.initQvel = new Float64Array(sim.nv);
    const range = sim.model('actuator_ctrlrange');
    const low = new Float64Array(sim.nu);
    const high = new Float64Array(sim.nu);
    for (let i = 0; i < sim.nu; i++) {
      low[i] = range[2 * i];
      high[i] = range[2 * i + 1];
    }
    this.actionSpace = new Box(low, high, [sim.nu], 'float32');
    const nObs = typeof config.observationSize === 'function' ? config.observationSize(sim) : config.observationSize;
    this.observationSpace = new Box(-Infinity, Infinity, [nObs], 'float64');
    this.physics = new Float64Array(sim.stateSize + this.derivedSize);
  }

  /** Compute reward, termination and info of one step; call `this.simulate(action)` inside. */
  protected abstract computeStep(action: Float64Array): MujocoStepResult;

  /**
   * Write the initial qpos/qvel after `mj_resetData` (before `mj_forward`). Default: Gymnasium's
   * most common rule, qpos = init_qpos + U(-s, s), qvel = init_qvel + U(-s, s) with
   * s = `resetNoiseScale()`; qpos drawn first.
   */
  protected resetModel(): void {
    const s = this.resetNoiseScale();
    this.setQposQvel(this.uniformNoise(this.initQpos, s), this.uniformNoise(this.initQvel, s));
  }

  /** The reset noise scale (override, usually from the `resetNoiseScale` option). */
  protected resetNoiseScale(): number {
    return 0;
  }

  /** Derived quantities the next step reads that `mjSTATE_INTEGRATION` does not hold (length `derivedSize`). */
  protected saveDerived(): ArrayLike<number> {
    return [];
  }

  /** Put back derived quantities from `saveDerived` after `setState` (after `mj_forward`). */
  protected loadDerived(_values: Float64Array): void {}

  /** `base + U(-scale, scale)` elementwise (`scale` 0 gives `base`). */
  protected uniformNoise(base: ArrayLike<number>, scale: number): Float64Array {
    const out = new Float64Array(base.length);
    for (let i = 0; i < base.length; i++) out[i] = base[i] + this.rng.uniformRange(-scale, scale);
    return out;
  }

  /** `base + scale · N(0, 1)` elementwise. */
  protected normalNoise(base: ArrayLike<number>, scale: number): Float64Array {
    const out = new Float64Array(base.length);
    for (let i = 0; i < base.length; i++) out[i] = base[i] + scale * this.rng.normal();
    return out;
  }

  /** Write qpos and qvel into the data (Gymnasium's `set_state` without the `mj_forward`). */
  protected setQposQvel(qpos: ArrayLike<number>, qvel: ArrayLike<number>): void {
    this.sim.data('qpos').set(qpos);
    this.sim.data('qvel').set(qvel);
  }

  /**
   * One env step of physics: ctrl = action (unclipped), `mj_step` × frameSkip,
   * `mj_rnePostConstraint`. Records MuJoCo's instability warnings for the step's info.
   */
  protected simulate(action: ArrayLike<number>): void {
    const sim = this.sim;
    sim.data('ctrl').set(action);
    const t0 = sim.time;
    // A bad qpos/qvel/qacc makes MuJoCo reset the data (time back to 0) and count a warning. The
    // time shows it unless the step started at time 0; then compare the warning counts.
    const before = t0 < 0.5 * sim.timestep ? sim.warnings() : null;
    sim.step(this.frameSkip);
    sim.rnePostConstraint();
    let after: MujocoWarnings | null = null;
    if (sim.time < t0 + (this.frameSkip - 0.5) * sim.timestep) after = sim.warnings();
    else if (before !== null) {
      const w = sim.warnings();
      if (w.badQpos > before.badQpos || w.badQvel > before.badQvel || w.badQacc > before.badQacc) after = w;
    }
    this.stepWarnings = after;
  }

  private stepWarnings: MujocoWarnings | null = null;

  protected resetPhysics(_options: Record<string, unknown> | undefined): void {
    const sim = this.sim;
    sim.resetData();
    this.resetModel();
    sim.forward();
  }

  /** @internal */
  protected transition(action: Float64Array): { reward: number; terminated: boolean; info: Info } {
    this.stepWarnings = null;
    const r = this.computeStep(action);
    const w = this.stepWarnings as MujocoWarnings | null;
    if (w !== null) Object.assign(r.info, { unstable: true, badQpos: w.badQpos, badQvel: w.badQvel, badQacc: w.badQacc });
    this.assertFiniteState();
    return r;
  }

  private assertFiniteState(): void {
    for (const field of ['qpos', 'qvel']) {
      const v = this.sim.data(field);
      for (let i = 0; i < v.length; i++) {
        if (!Number.isFinite(v[i])) {
          throw new RangeError(`${this.id}: the simulation became unstable: ${field}[${i}] is ${v[i]} after the step; reset() the env`);
        }
      }
    }
  }

  protected physicsSize(): number {
    return this.sim.stateSize + this.derivedSize;
  }

  /** The current `physics` vector: `mjSTATE_INTEGRATION` then the derived quantities. */
  private currentPhysics(): Float64Array {
    const out = new Float64Array(this.physicsSize());
    out.set(this.sim.getState());
    const derived = this.saveDerived();
    if (derived.length !== this.derivedSize) throw new Error(`${this.id}: saveDerived returned ${derived.length} numbers, expected ${this.derivedSize}`);
    out.set(derived, this.sim.stateSize);
    return out;
  }

  override getState(): BaseEnvState {
    this.physics = this.currentPhysics();
    return super.getState();
  }

  /** Restore a state from `getState()`; with `physics`: `mj_setState`, `mj_forward`, then the derived quantities. */
  override setState(state: Partial<BaseEnvState>): void {
    const sim = this.sim;
    if (sim.closed) sim.mjData; // throws the "closed" error
    if (typeof state === 'object' && state !== null && Array.isArray(state.physics)) {
      const bad = state.physics.findIndex((v) => typeof v === 'number' && !Number.isFinite(v));
      if (bad >= 0) throw new RangeError(`${this.id} setState: physics[${bad}] is ${state.physics[bad]}; the state must be finite`);
    }
    super.setState(state);
    if (state.physics !== undefined) {
      sim.setState(this.physics.subarray(0, sim.stateSize));
      sim.forward();
      this.loadDerived(this.physics.slice(sim.stateSize));
    }
  }

  /** Free the MuJoCo model and data. Idempotent; the env cannot be used afterwards. */
  override close(): void {
    this.sim.close();
  }

  /** The env's MuJoCo model/data adapter (read-only use: geom poses for rendering, model facts). */
  get simulation(): MujocoSimulation {
    return this.sim;
  }

  /** True after `close()`. */
  get closed(): boolean {
    return this.sim.closed;
  }
}
