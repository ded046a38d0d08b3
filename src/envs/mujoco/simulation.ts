/**
 * A small adapter over one MuJoCo model + data pair of `@mujoco/mujoco`, hiding the WASM
 * binding's traps (see ../shared/notes/mujoco-in-node.md):
 * - array fields are live Float64Array views into the WASM heap that detach (length 0) when the
 *   heap grows; `data(name)`/`model(name)` cache them and re-take detached ones;
 * - output parameters must be `DoubleBuffer`s (a plain typed array is silently not written);
 * - every embind handle (MjModel, MjData, buffers, stats) is freed with `.delete()` in `close()`.
 */
import type { DoubleBuffer, MjData, MjModel } from '@mujoco/mujoco';
import { mujocoModule, type MujocoModule } from './engine.js';

/** `mjtState.mjSTATE_INTEGRATION`: everything `mj_step` reads (time, qpos, qvel, act, warm start, ctrl, applied forces, ...). */
export const MJ_STATE_INTEGRATION = 16383;

/** Counts of MuJoCo's instability warnings (each also resets the data to the model's defaults). */
export interface MujocoWarnings {
  /** mjWARN_BADQPOS: a qpos entry was not finite or too large. */
  badQpos: number;
  /** mjWARN_BADQVEL: a qvel entry was not finite or too large. */
  badQvel: number;
  /** mjWARN_BADQACC: the computed qacc was not finite or too large. */
  badQacc: number;
}

type ArrayField = Float64Array;

/**
 * One compiled MuJoCo model with its data: typed views of the model and data fields, stepping, the integration
 * state and the instability warnings. Free it with close().
 */
export class MujocoSimulation {
  /** The loaded `@mujoco/mujoco` module. */
  readonly mj: MujocoModule;
  private mModel: MjModel | null;
  private mData: MjData | null;
  private readonly stateBuffer: DoubleBuffer;
  /** Number of position coordinates (model.nq). */
  readonly nq: number;
  /** Number of degrees of freedom (model.nv). */
  readonly nv: number;
  /** Number of actuators (model.nu). */
  readonly nu: number;
  /** Number of bodies, the world body included (model.nbody). */
  readonly nbody: number;
  /** Length of the `mjSTATE_INTEGRATION` vector. */
  readonly stateSize: number;
  /** Model timestep (s). */
  readonly timestep: number;
  private readonly dataViews = new Map<string, ArrayField>();
  private readonly modelViews = new Map<string, ArrayField>();

  /** Compile `xml` (an MJCF string); `name` is used in error messages. */
  constructor(
    /** The env's name, used in error messages. */
    readonly name: string,
    xml: string,
  ) {
    const mj = mujocoModule(name);
    this.mj = mj;
    let model: MjModel;
    try {
      model = mj.MjModel.from_xml_string(xml);
    } catch (e) {
      throw new Error(`${name}: MuJoCo could not compile the model: ${(e as Error).message}`, { cause: e });
    }
    let data: MjData;
    try {
      data = new mj.MjData(model);
    } catch (e) {
      model.delete();
      throw new Error(`${name}: MuJoCo could not allocate the simulation data (${(e as Error).message}); close envs you no longer use`, { cause: e });
    }
    this.mModel = model;
    this.mData = data;
    this.nq = model.nq;
    this.nv = model.nv;
    this.nu = model.nu;
    this.nbody = model.nbody;
    const opt = model.opt;
    this.timestep = opt.timestep;
    opt.delete();
    this.stateSize = mj.mj_stateSize(model, MJ_STATE_INTEGRATION);
    this.stateBuffer = new mj.DoubleBuffer(this.stateSize);
  }

  /** Whether close() was called (any later use throws). */
  get closed(): boolean {
    return this.mData === null;
  }

  /** The MjModel handle (throws after `close()`). */
  get mjModel(): MjModel {
    if (!this.mModel) throw new Error(`${this.name}: the env is closed (its MuJoCo model was freed); make a new env`);
    return this.mModel;
  }

  /** The MjData handle (throws after `close()`). */
  get mjData(): MjData {
    if (!this.mData) throw new Error(`${this.name}: the env is closed (its MuJoCo data was freed); make a new env`);
    return this.mData;
  }

  /** A cached live view of an MjData array field (e.g. 'qpos', 'xpos', 'cfrc_ext'), re-taken if the heap grew. */
  data(field: string): Float64Array {
    const v = this.dataViews.get(field);
    if (v !== undefined && (v.length > 0 || v.buffer.byteLength > 0)) return v;
    const fresh = (this.mjData as unknown as Record<string, Float64Array>)[field];
    if (!(fresh instanceof Float64Array)) throw new TypeError(`${this.name}: MjData has no float64 array field ${JSON.stringify(field)}`);
    this.dataViews.set(field, fresh);
    return fresh;
  }

  /** A cached live view of an MjModel array field (e.g. 'qpos0', 'body_mass'), re-taken if the heap grew. */
  model(field: string): Float64Array {
    const v = this.modelViews.get(field);
    if (v !== undefined && (v.length > 0 || v.buffer.byteLength > 0)) return v;
    const fresh = (this.mjModel as unknown as Record<string, Float64Array>)[field];
    if (!(fresh instanceof Float64Array)) throw new TypeError(`${this.name}: MjModel has no float64 array field ${JSON.stringify(field)}`);
    this.modelViews.set(field, fresh);
    return fresh;
  }

  /** Simulation time `d.time`. */
  get time(): number {
    return this.mjData.time;
  }

  /** `mj_resetData`: the model's defaults (qpos0, zero velocities, warm start, controls, warnings). */
  resetData(): void {
    this.mj.mj_resetData(this.mjModel, this.mjData);
  }

  /** `mj_forward`: positions-to-accelerations without integrating. */
  forward(): void {
    this.mj.mj_forward(this.mjModel, this.mjData);
  }

  /** `mj_step` `n` times. */
  step(n: number): void {
    const m = this.mjModel;
    const d = this.mjData;
    const mj = this.mj;
    for (let i = 0; i < n; i++) mj.mj_step(m, d);
  }

  /** `mj_rnePostConstraint`: fills cacc, cfrc_int and cfrc_ext (Gymnasium calls it after each env step). */
  rnePostConstraint(): void {
    this.mj.mj_rnePostConstraint(this.mjModel, this.mjData);
  }

  /** A copy of the `mjSTATE_INTEGRATION` vector (`mj_getState`, MuJoCo's order). */
  getState(): Float64Array {
    this.mj.mj_getState(this.mjModel, this.mjData, this.stateBuffer, MJ_STATE_INTEGRATION);
    return Float64Array.from(this.stateBuffer.GetView() as Float64Array);
  }

  /** `mj_setState` from an `mjSTATE_INTEGRATION` vector. */
  setState(state: ArrayLike<number>): void {
    if (state.length !== this.stateSize) {
      throw new RangeError(`${this.name}: an mjSTATE_INTEGRATION vector has ${this.stateSize} numbers, got ${state.length}`);
    }
    this.mj.mj_setState(this.mjModel, this.mjData, Array.from(state), MJ_STATE_INTEGRATION);
  }

  /** The current counts of MuJoCo's bad-qpos/qvel/qacc warnings (since the last reset of the data). */
  warnings(): MujocoWarnings {
    const vec = this.mjData.warning; // owned by MjData: read only, never delete
    const count = (i: number): number => {
      const stat = vec.get(i);
      if (!stat) return 0;
      const n = stat.number;
      stat.delete();
      return n;
    };
    const w = this.mj.mjtWarning;
    return { badQpos: count(w.mjWARN_BADQPOS.value), badQvel: count(w.mjWARN_BADQVEL.value), badQacc: count(w.mjWARN_BADQACC.value) };
  }

  /** Id of a named body (throws if there is none). */
  bodyId(name: string): number {
    const id = this.mj.mj_name2id(this.mjModel, this.mj.mjtObj.mjOBJ_BODY.value, name);
    if (id < 0) throw new RangeError(`${this.name}: the model has no body named ${JSON.stringify(name)}`);
    return id;
  }

  /** Id of a named site (throws if there is none). */
  siteId(name: string): number {
    const id = this.mj.mj_name2id(this.mjModel, this.mj.mjtObj.mjOBJ_SITE.value, name);
    if (id < 0) throw new RangeError(`${this.name}: the model has no site named ${JSON.stringify(name)}`);
    return id;
  }

  /** Free the MjData, the MjModel and the state buffer. Idempotent. */
  close(): void {
    if (this.mData === null) return;
    this.dataViews.clear();
    this.modelViews.clear();
    this.stateBuffer.delete();
    this.mData.delete();
    this.mData = null;
    this.mModel?.delete();
    this.mModel = null;
  }
}
