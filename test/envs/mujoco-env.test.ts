/**
 * The MuJoCo env contract, for every env of MUJOCO_CASES: state round trips, resources (bounded
 * WASM heap and RSS over make/step/close cycles and thousands of resets), bad actions, instability
 * reporting, options, checkEnv, lazy loading of the engine.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { checkEnv, getEnvSpec, loadMujoco, make, makeAsync, type BaseEnvState, type Box, type MujocoEnv, type Wrapper } from '../../src/index.js';
import { runScript } from '../run-script.js';
import { formulaAction } from './mujoco-actions.js';
import { MUJOCO_CASES, caseReference, physicsBefore } from './mujoco-helpers.js';

beforeAll(async () => {
  await loadMujoco();
});

function inner(env: Wrapper): MujocoEnv {
  return env.unwrapped as MujocoEnv;
}

function actionAt(env: Wrapper, t: number): Float64Array {
  const space = env.actionSpace as Box;
  return formulaAction(t, space.low, space.high);
}

/** Bytes of the WASM heap (every view into it shares its buffer). */
function heapBytes(env: Wrapper): number {
  return inner(env).simulation.data('qpos').buffer.byteLength;
}

/** Step with the formula actions, resetting when an episode ends; returns every observation and reward. */
function rollout(env: Wrapper, t0: number, steps: number): number[][] {
  const out: number[][] = [];
  for (let t = t0; t < t0 + steps; t++) {
    const r = env.step(actionAt(env, t));
    out.push([...r.observation, r.reward, Number(r.terminated), Number(r.truncated)]);
    if (r.terminated || r.truncated) env.reset();
  }
  return out;
}

describe.each(MUJOCO_CASES)('$id', (c) => {
  it('getState/setState round trip continues bit for bit (same env and a fresh one)', () => {
    const env = make(c.id);
    const other = make(c.id);
    try {
      env.reset({ seed: 3 });
      other.reset({ seed: 99 });
      for (let t = 0; t < 5; t++) {
        const r = env.step(actionAt(env, t));
        if (r.terminated) env.reset();
      }
      const saved = env.getState();
      const first = rollout(env, 5, 20);
      // JSON round trip: the state is plain data.
      env.setState(JSON.parse(JSON.stringify(saved)));
      expect(rollout(env, 5, 20)).toEqual(first);
      other.setState(JSON.parse(JSON.stringify(saved)));
      expect(rollout(other, 5, 20)).toEqual(first);
    } finally {
      env.close();
      other.close();
    }
  });

  it('setState({ physics }) is the mjSTATE_INTEGRATION vector (plus the derived quantity) and restores it exactly', () => {
    const ref = caseReference(c);
    const traj = ref.trajectories[0];
    const env = make(c.id);
    try {
      env.reset({ seed: 0 });
      const physics = physicsBefore(c, traj, 1);
      expect(inner(env).getState().physics.length).toBe(physics.length);
      expect(inner(env).simulation.stateSize).toBe(ref.state_size);
      (inner(env) as unknown as { setState(s: Partial<BaseEnvState>): void }).setState({ physics });
      expect(inner(env).getState().physics).toEqual(physics);
      // (The observation right after setState may differ from the recorded one where it reads
      // quantities that lag qpos by a substep; the next step is what is exact, see mujoco-exactness.)
    } finally {
      env.close();
    }
  });

  it('spaces, dt and time limit follow Gymnasium v5', () => {
    const ref = caseReference(c);
    expect(getEnvSpec(c.id)?.maxEpisodeSteps).toBe(ref.max_episode_steps);
    const env = make(c.id, { maxEpisodeSteps: 3 });
    try {
      expect(env.observationSpace.size).toBe(ref.obs_dim);
      const a = env.actionSpace as Box;
      expect(Array.from(a.low)).toEqual(ref.action_low);
      expect(Array.from(a.high)).toEqual(ref.action_high);
      expect(inner(env).frameSkip).toBe(ref.frame_skip);
      expect(inner(env).dt).toBeCloseTo(ref.dt, 15);
      expect(Array.from(inner(env).initQpos)).toEqual(ref.init_qpos);
      // The time limit truncates (zero actions do not end any of these episodes within 3 steps).
      env.reset({ seed: 0 });
      const flags = [0, 1, 2].map(() => {
        const r = env.step(new Float64Array(a.size));
        return [r.terminated, r.truncated];
      });
      expect(flags).toEqual([[false, false], [false, false], [false, true]]);
    } finally {
      env.close();
    }
  });

  it('bad actions throw RangeErrors naming the env; nothing is stepped', () => {
    const env = make(c.id);
    try {
      env.reset({ seed: 0 });
      const n = (env.actionSpace as Box).size;
      const before = inner(env).getState().physics;
      expect(() => env.step(new Float64Array(n + 1))).toThrow(RangeError);
      expect(() => env.step(new Float64Array(n + 1))).toThrow(new RegExp(`^${c.id} step 0: action .* has length ${n + 1}, expected ${n}`));
      const nan = new Float64Array(n);
      nan[n - 1] = Number.NaN;
      expect(() => env.step(nan)).toThrow(RangeError);
      expect(() => env.step(nan)).toThrow(new RegExp(`^${c.id} step 0: action\\[${n - 1}\\] is NaN`));
      const inf = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
      expect(() => env.step(inf)).toThrow(new RegExp(`^${c.id} step 0: action\\[0\\] is Infinity`));
      // The raw env checks too.
      expect(() => inner(env).step(new Float64Array(n - 1))).toThrow(RangeError);
      expect(inner(env).getState().physics).toEqual(before);
    } finally {
      env.close();
    }
  });

  it('an unstable simulation shows in info and never yields a NaN observation', () => {
    const env = make(c.id);
    try {
      const u = inner(env);
      const sim = u.simulation;
      const n = (env.actionSpace as Box).size;
      const mj = sim.mjModel;
      // Offsets in mjSTATE_INTEGRATION: time, qpos, qvel, act, history (none here), warm start, ctrl, qfrc_applied.
      const qvelAt = 1 + sim.nq;
      const qfrcAppliedAt = 1 + sim.nq + sim.nv + mj.na + sim.nv + sim.nu;
      const cases = [
        { at: qvelAt, value: 1e12, warning: 'badQvel' }, // a velocity MuJoCo calls bad (> 1e10)
        { at: qfrcAppliedAt, value: 1e30, warning: 'badQacc' }, // a force that makes the acceleration bad
      ];
      for (const { at, value, warning } of cases) {
        for (const stepsFirst of [0, 2]) {
          env.reset({ seed: 0 });
          for (let t = 0; t < stepsFirst; t++) env.step(new Float64Array(n));
          const state = u.getState();
          state.physics[at] = value;
          u.setState({ physics: state.physics });
          // MuJoCo resets the data and counts a warning; the step reports it.
          const r = env.step(new Float64Array(n));
          expect(r.info.unstable, `${warning} after ${stepsFirst} steps`).toBe(true);
          expect(r.info[warning], `${warning} after ${stepsFirst} steps`).toBeGreaterThanOrEqual(1);
          expect(r.observation.every(Number.isFinite)).toBe(true);
          expect(Number.isFinite(r.reward)).toBe(true);
        }
      }
      // A normal step has no instability entries.
      env.reset({ seed: 0 });
      expect(env.step(new Float64Array(n)).info.unstable).toBeUndefined();
      // Non-finite states are refused.
      const s = u.getState();
      s.physics[2] = Number.NaN;
      expect(() => u.setState({ physics: s.physics })).toThrow(new RegExp(`^${c.id} setState: physics\\[2\\] is NaN`));
    } finally {
      env.close();
    }
  });

  it('unknown or ill-typed options throw naming the option', () => {
    expect(() => make(c.id, { envOptions: { noSuchOption: 1 } })).toThrow(TypeError);
    expect(() => make(c.id, { envOptions: { noSuchOption: 1 } })).toThrow(new RegExp(`^${c.id}: unknown option "noSuchOption"; known options: `));
    expect(() => make(c.id, { envOptions: { noSuchOption: 1 } })).toThrow(/known options: .*frameSkip/);
    expect(() => make(c.id, { envOptions: { frame_skip: 2 } })).toThrow(/unknown option "frame_skip" \(did you mean frameSkip\? options are camelCase\)/);
    expect(() => make(c.id, { envOptions: { render_mode: 'human' } })).toThrow(/unknown option "render_mode" \(a Gymnasium rendering argument: these envs do not render/);
    expect(() => make(c.id, { envOptions: { frameSkip: 0 } })).toThrow(new RangeError(`${c.id}: option frameSkip must be at least 1, got 0`));
    expect(() => make(c.id, { envOptions: { frameSkip: 1.5 } })).toThrow(TypeError);
    expect(() => make(c.id, { envOptions: { xmlFile: '/no/such/model.xml' } })).toThrow(new RegExp(`^${c.id}: cannot read option xmlFile "/no/such/model.xml"`));
  });

  it('frameSkip changes dt; resetNoiseScale 0 (where the env has it) gives the model\'s initial state', () => {
    const base = make(c.id);
    const env = make(c.id, { envOptions: { frameSkip: 1 } });
    try {
      expect(inner(env).frameSkip).toBe(1);
      expect(inner(env).dt * inner(base).frameSkip).toBeCloseTo(inner(base).dt, 15);
      if ('resetNoiseScale' in (inner(base) as unknown as { options: object }).options) {
        const quiet = make(c.id, { envOptions: { resetNoiseScale: 0 } });
        quiet.reset({ seed: 1 });
        const physics = inner(quiet).getState().physics;
        const nq = inner(quiet).simulation.nq;
        expect(physics.slice(1, 1 + nq)).toEqual(caseReference(c).init_qpos);
        quiet.close();
      }
    } finally {
      env.close();
      base.close();
    }
  });

  it('reset seeds are reproducible and noise stays within the documented scale', () => {
    const env = make(c.id);
    try {
      const a = env.reset({ seed: 7 }).observation;
      const b = env.reset({ seed: 7 }).observation;
      const d = env.reset({ seed: 8 }).observation;
      expect(Array.from(a)).toEqual(Array.from(b));
      expect(Array.from(a)).not.toEqual(Array.from(d));
    } finally {
      env.close();
    }
  });

  it('checkEnv finds nothing wrong (made and raw)', () => {
    const env = make(c.id);
    try {
      expect(checkEnv(env, { steps: 200 }).errors).toEqual([]);
      expect(checkEnv(inner(env), { steps: 50 }).errors).toEqual([]);
    } finally {
      env.close();
    }
  });

  it('close() frees the engine objects, is idempotent, and later use throws clearly', () => {
    const env = make(c.id);
    env.reset({ seed: 0 });
    env.close();
    env.close();
    expect(inner(env).closed).toBe(true);
    const n = (env.actionSpace as Box).size;
    expect(() => env.step(new Float64Array(n))).toThrow(new RegExp(`${c.id}.*the env is closed`));
    expect(() => env.reset({ seed: 0 })).toThrow(new RegExp(`${c.id}: the env is closed`));
    expect(() => inner(env).getState()).toThrow(new RegExp(`${c.id}: the env is closed`));
  });
});

describe('MuJoCo resources', () => {
  const id = 'Hopper-v5';

  it('200 make/step/close cycles keep the WASM heap and RSS bounded', () => {
    const probe = make(id);
    const cycle = (): void => {
      const env = make(id);
      env.reset({ seed: 0 });
      for (let t = 0; t < 5; t++) env.step(actionAt(env, t));
      env.close();
    };
    for (let i = 0; i < 10; i++) cycle();
    const heap0 = heapBytes(probe);
    const rss0 = process.memoryUsage().rss;
    for (let i = 0; i < 200; i++) cycle();
    // One leaked MjData is 13.6 MB: 200 leaks would need 2.7 GB (the heap cannot even hold that).
    expect(heapBytes(probe) - heap0).toBeLessThanOrEqual(32 * 2 ** 20);
    expect(process.memoryUsage().rss - rss0).toBeLessThan(256 * 2 ** 20);
    probe.close();
  });

  it('an env keeps working when other envs grow the WASM heap (its cached views detach and are re-taken)', () => {
    const a = make(id);
    const b = make(id);
    a.reset({ seed: 4 });
    b.reset({ seed: 4 });
    const first = rollout(a, 0, 3);
    expect(rollout(b, 0, 3)).toEqual(first);
    const heap0 = heapBytes(a);
    const crowd: Wrapper[] = [];
    while (crowd.length < 100 && (crowd.length === 0 || heapBytes(crowd[0]) === heap0)) crowd.push(make(id)); // ~14 MB of MjData each
    crowd.push(make(id), make(id));
    expect(heapBytes(crowd[0])).toBeGreaterThan(heap0); // the heap grew
    const next = rollout(a, 3, 10);
    for (const e of crowd) e.close();
    expect(next).toEqual(rollout(b, 3, 10));
    a.close();
    b.close();
  });

  it('5000 resets (with a step each) do not grow the heap', async () => {
    for (const c of MUJOCO_CASES) {
      const env = await makeAsync(c.id);
      env.reset({ seed: 0 });
      const n = (env.actionSpace as Box).size;
      for (let i = 0; i < 50; i++) {
        env.reset();
        env.step(new Float64Array(n));
      }
      const heap0 = heapBytes(env);
      const rss0 = process.memoryUsage().rss;
      const resets = c.id === 'Hopper-v5' ? 5000 : 1000;
      for (let i = 0; i < resets; i++) {
        env.reset();
        env.step(new Float64Array(n));
      }
      expect(heapBytes(env), c.id).toBe(heap0);
      expect(process.memoryUsage().rss - rss0, c.id).toBeLessThan(128 * 2 ** 20);
      env.close();
    }
  });
});

describe('lazy loading of the engine', () => {
  it('importing the package and using classic envs compiles no WebAssembly; make explains what to call', async () => {
    const r = await runScript('test/fixtures/mujoco-lazy-probe.ts', []);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(out.afterImport).toEqual({ compiled: 0, loaded: false });
    expect(out.makeError).toMatch(/^Hopper-v5: the MuJoCo engine is not loaded yet .*await loadMujoco\(\).*makeAsync/);
    expect(out.afterLoad.loaded).toBe(true);
    expect(out.afterLoad.compiled).toBeGreaterThan(0);
  });
});
