import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Trajectory {
  reset_seed: number;
  set_state: number[];
  obs0: number[];
  state0: number[];
  actions: (number | number[])[];
  obs: number[][];
  states: number[][];
  rewards: number[];
  terminated: boolean[];
  truncated: boolean[];
  n_steps: number;
  end: string;
}

export interface Reference {
  action_formula: { discrete: string; box: string };
  envs: Record<string, { action_space: string; observation_space: string; max_episode_steps: number; trajectories: Trajectory[] }>;
}

/** The Gymnasium reference trajectories (copied from ../shared/reference). */
export function loadReference(): Reference {
  const path = fileURLToPath(new URL('../fixtures/gym-classic-control.json', import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8')) as Reference;
}

/** Path of a fixture module. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

/** Largest |a[i] - b[i]|. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
