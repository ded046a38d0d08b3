/**
 * Humanoid-v5 rules the reference trajectory does not cover: the healthy-z termination and its
 * options, the observation options, the contact cost clipping, the reset noise, and the mass
 * centre carried in the state.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMujoco, make, type BaseEnvState } from '../../src/index.js';
import { fixture } from './mujoco-helpers.js';
import { inner, qposQvel, setQpos } from './mujoco-rules-helpers.js';

beforeAll(async () => {
  await loadMujoco();
});

const ZERO = new Float64Array(17);

describe('Humanoid-v5', () => {
  it('terminates once the torso height leaves healthyZRange (1, 2) unless terminateWhenUnhealthy is false', () => {
    const env = make('Humanoid-v5');
    const keepGoing = make('Humanoid-v5', { envOptions: { terminateWhenUnhealthy: false } });
    const lowRange = make('Humanoid-v5', { envOptions: { healthyZRange: [0.5, 2] } });
    try {
      env.reset({ seed: 0 });
      let r = env.step(ZERO);
      expect([r.terminated, r.info.reward_survive]).toEqual([false, 5]);
      for (const [e, terminated, survive] of [[env, true, 0], [keepGoing, false, 0], [lowRange, false, 5]] as const) {
        e.reset({ seed: 0 });
        setQpos(e, { 2: 0.9 });
        r = e.step(ZERO);
        expect(qposQvel(e).qpos[2]).toBeLessThan(1);
        expect([r.terminated, r.info.reward_survive]).toEqual([terminated, survive]);
      }
      env.reset({ seed: 0 });
      setQpos(env, { 2: 2.5 });
      expect(env.step(ZERO).terminated).toBe(true);
    } finally {
      env.close();
      keepGoing.close();
      lowRange.close();
    }
  });

  it('has 348 observations by default and drops or adds the documented parts with the options', () => {
    const sizes: [Record<string, unknown>, number][] = [
      [{}, 348],
      [{ excludeCurrentPositionsFromObservation: false }, 350],
      [{ includeCinertInObservation: false }, 218],
      [{ includeCvelInObservation: false }, 270],
      [{ includeQfrcActuatorInObservation: false }, 331],
      [{ includeCfrcExtInObservation: false }, 270],
      [{ includeCinertInObservation: false, includeCvelInObservation: false, includeQfrcActuatorInObservation: false, includeCfrcExtInObservation: false }, 45],
    ];
    for (const [envOptions, size] of sizes) {
      const env = make('Humanoid-v5', { envOptions });
      try {
        expect(env.observationSpace.size).toBe(size);
        const { observation } = env.reset({ seed: 1 });
        const r = env.step(ZERO);
        expect(observation.length).toBe(size);
        expect(r.observation.length).toBe(size);
      } finally {
        env.close();
      }
    }
    const env = make('Humanoid-v5', { envOptions: { excludeCurrentPositionsFromObservation: false } });
    try {
      const { observation } = env.reset({ seed: 2 });
      const { qpos, qvel } = qposQvel(env);
      expect(Array.from(observation.subarray(0, 47))).toEqual([...qpos, ...qvel]);
      // the reset observation has no contact forces yet (mj_forward does not compute them)
      expect(Array.from(observation.subarray(350 - 78)).every((v) => v === 0)).toBe(true);
    } finally {
      env.close();
    }
  });

  it('clips the contact cost to contactCostRange and scales the control cost by ctrlCostWeight', () => {
    const free = make('Humanoid-v5', { envOptions: { contactCostWeight: 1 } });
    const capped = make('Humanoid-v5', { envOptions: { contactCostWeight: 1, contactCostRange: [0, 0.5], ctrlCostWeight: 2 } });
    try {
      const a = new Float64Array(17).fill(0.2);
      free.reset({ seed: 4 });
      capped.reset({ seed: 4 });
      // drop the body onto the floor so that contact forces are large
      setQpos(free, { 2: 1.0 }, { 2: -3 });
      setQpos(capped, { 2: 1.0 }, { 2: -3 });
      const rf = free.step(a);
      const rc = capped.step(a);
      expect(-(rf.info.reward_contact as number)).toBeGreaterThan(0.5);
      expect(rc.info.reward_contact).toBe(-0.5);
      expect(rf.info.reward_ctrl).toBeCloseTo(-0.1 * 17 * 0.04, 14);
      expect(rc.info.reward_ctrl).toBeCloseTo(-2 * 17 * 0.04, 14);
      const parts = (rc.info.reward_forward as number) + (rc.info.reward_survive as number) + (rc.info.reward_ctrl as number) + (rc.info.reward_contact as number);
      expect(rc.reward).toBeCloseTo(parts, 12);
    } finally {
      free.close();
      capped.close();
    }
  });

  it('resets qpos and qvel to U(±resetNoiseScale) around the standing pose', () => {
    const env = make('Humanoid-v5', { envOptions: { resetNoiseScale: 0.1 } });
    try {
      const init = inner(env).initQpos;
      let maxDev = 0;
      for (let seed = 0; seed < 50; seed++) {
        env.reset({ seed });
        const { qpos, qvel } = qposQvel(env);
        qpos.forEach((q, i) => (maxDev = Math.max(maxDev, Math.abs(q - init[i]))));
        for (const v of qvel) maxDev = Math.max(maxDev, Math.abs(v));
      }
      expect(maxDev).toBeLessThanOrEqual(0.1);
      expect(maxDev).toBeGreaterThan(0.099);
      expect(init[2]).toBe(1.4);
    } finally {
      env.close();
    }
  });

  it('carries the mass centre in the state: a restored env steps exactly as the original', () => {
    const env = make('Humanoid-v5');
    const copy = make('Humanoid-v5');
    try {
      env.reset({ seed: 9 });
      copy.reset({ seed: 1 });
      const a = new Float64Array(17).map((_, i) => 0.3 * Math.sin(i));
      env.step(a);
      const state = (inner(env) as unknown as { getState(): BaseEnvState }).getState();
      expect(state.physics.length).toBe(inner(env).simulation.stateSize + 2);
      (inner(copy) as unknown as { setState(s: BaseEnvState): void }).setState(state);
      const r1 = env.step(a);
      const r2 = copy.step(a);
      expect(r2.reward).toBe(r1.reward);
      expect(r2.info.x_velocity).toBe(r1.info.x_velocity);
      expect(Array.from(r2.observation)).toEqual(Array.from(r1.observation));
    } finally {
      env.close();
      copy.close();
    }
  });

  it('gives the reference reset info (positions, tendon lengths and velocities) of the recorded initial state', () => {
    const traj = (fixture('mujoco-v5-humanoid-pusher-trajectories.json') as { envs: Record<string, { trajectories: { state0: number[]; mass_center0: number[]; reset_info: Record<string, number | number[]> }[] }> }).envs['Humanoid-v5'].trajectories[0];
    const env = make('Humanoid-v5');
    try {
      env.reset({ seed: 0 });
      const e = inner(env) as unknown as { setState(s: Partial<BaseEnvState>): void; resetInfo(): Record<string, unknown> };
      e.setState({ physics: [...traj.state0, ...traj.mass_center0] });
      const info = e.resetInfo();
      expect(Object.keys(info).sort()).toEqual(Object.keys(traj.reset_info).sort());
      for (const [key, want] of Object.entries(traj.reset_info)) {
        const got = info[key] as number | number[];
        const w = ([] as number[]).concat(want);
        const g = ([] as number[]).concat(got);
        expect(g.length, key).toBe(w.length);
        w.forEach((v, i) => expect(Math.abs(g[i] - v), `${key}[${i}]`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(v))));
      }
    } finally {
      env.close();
    }
  });
});
