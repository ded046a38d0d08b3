/** Small envs and helpers for the TRPO trainer tests. */
import { Box, Discrete, type Env, type ResetArgs, type ResetResult, type StepResult } from '../src/envs/index.js';
import { Random } from '../src/random.js';
import type { TRPOUpdateInfo } from '../src/trpo/index.js';

/**
 * A tiny deterministic task with both episode ends: obs [t, first action]; reward 1 per step.
 * If the first action of an episode is 0 the episode terminates at t = 3; otherwise it runs until
 * the time limit (give maxEpisodeSteps 5 to makeVecEnv) and is truncated.
 */
export class FirstChoiceEnv implements Env<number, Float64Array> {
  readonly id = 'FirstChoice-v0';
  readonly observationSpace = new Box(-10, 10, [2]);
  readonly actionSpace = new Discrete(2);
  private t = 0;
  private first = -1;

  reset(_args: ResetArgs = {}): ResetResult<Float64Array> {
    this.t = 0;
    this.first = -1;
    return { observation: this.obs(), info: {} };
  }

  step(action: number): StepResult<Float64Array> {
    if (this.t === 0) this.first = action;
    this.t += 1;
    const terminated = this.first === 0 && this.t === 3;
    return { observation: this.obs(), reward: 1, terminated, truncated: false, info: {} };
  }

  private obs(): Float64Array {
    return Float64Array.of(this.t, this.first);
  }

  close(): void {}

  getState(): { t: number; first: number } {
    return { t: this.t, first: this.first };
  }

  setState(s: { t: number; first: number }): void {
    this.t = s.t;
    this.first = s.first;
  }
}

/** Global step counter shared by FlakyEnv instances; FlakyEnv throws once it reaches failAt. */
export const flaky = { steps: 0, failAt: Infinity };

/** A noisy walk (Box(2) obs, Discrete(3, start -1) actions: -1, 0, +1) that throws at flaky.failAt. */
export class FlakyEnv implements Env<number, Float64Array> {
  readonly id = 'Flaky-v0';
  readonly observationSpace = new Box(-Infinity, Infinity, [2]);
  readonly actionSpace = new Discrete(3, -1);
  private rng = new Random(7);
  private x = 0;
  private t = 0;

  reset(args: ResetArgs = {}): ResetResult<Float64Array> {
    if (args.seed !== undefined) this.rng.seed(args.seed);
    this.x = this.rng.uniformRange(-1, 1);
    this.t = 0;
    return { observation: Float64Array.of(this.x, 0), info: {} };
  }

  step(action: number): StepResult<Float64Array> {
    flaky.steps += 1;
    if (flaky.steps >= flaky.failAt) throw new Error('simulator diverged');
    this.x += 0.5 * action + 0.1 * this.rng.normal();
    this.t += 1;
    const terminated = Math.abs(this.x) > 3;
    return { observation: Float64Array.of(this.x, this.t / 10), reward: -Math.abs(this.x), terminated, truncated: false, info: {} };
  }

  close(): void {}
}

/** The info without its wall-clock fields, for comparing runs. */
export function withoutTimes(info: TRPOUpdateInfo): Partial<TRPOUpdateInfo> {
  const { fps: _f, rolloutSeconds: _r, updateSeconds: _u, elapsedSeconds: _e, ...rest } = info;
  return rest;
}
