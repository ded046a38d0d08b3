import type { Random } from '../../random.js';

/** Gymnasium BipedalWalker-v3's terrain constants. */
export const TERRAIN = Object.freeze({
  SCALE: 30.0,
  VIEWPORT_H: 400,
  /** Horizontal distance between terrain points: 14 px. */
  STEP: 14 / 30,
  /** Number of terrain points. */
  LENGTH: 200,
  /** Base ground height: a quarter of the viewport (10/3 m). */
  HEIGHT: 400 / 30 / 4,
  /** Grass stretches last between GRASS/2 and GRASS - 1 points. */
  GRASS: 10,
  /** Flat points at the start before randomness sets in. */
  STARTPAD: 20,
  FRICTION: 2.5,
});

/**
 * Terrain segment kinds. `flat` is Gymnasium's fifth state value (`_STATES_`), which hardcore's
 * draw integers(1, 5) can also pick: it matches no rule, so the ground stays level until the
 * counter runs out.
 */
export type TerrainKind = 'grass' | 'stump' | 'stairs' | 'pit' | 'flat';
const KINDS: TerrainKind[] = ['grass', 'stump', 'stairs', 'pit', 'flat'];

/** A generated course: the ground polyline and the obstacle polygons (metres). */
export interface BipedalTerrain {
  /** x of each terrain point, metres (increasing). */
  x: number[];
  /** y of each terrain point, metres. */
  y: number[];
  /** The kind of segment each point belongs to. */
  kinds: TerrainKind[];
  /** Convex quadrilaterals of the stumps, pit walls and stair steps (static bodies, friction 2.5). */
  obstacles: [number, number][][];
}

/** numpy's integers(low, high): uniform in [low, high). */
function integers(rng: Random, low: number, high: number): number {
  return low + rng.integer(high - low);
}

/**
 * Gymnasium's terrain rules. Grass: velocity v ← 0.8 v + 0.01 sign(HEIGHT − y), plus
 * U(−1, 1)/SCALE after the start pad, y += v. When the segment counter runs out it is redrawn
 * in [5, 10) and, after grass in hardcore mode, the next kind is drawn from {stump, stairs, pit,
 * flat}; otherwise grass follows. Stump: a square of 1 or 2 steps on the ground. Pit: two
 * 1-step-wide walls 4 steps deep, 3 or 4 steps apart, the ground 4 steps lower between them.
 * Stairs: 3 or 4 steps of width 4, each one step up or (all) down.
 */
export function generateBipedalTerrain(rng: Random, hardcore: boolean): BipedalTerrain {
  const T = TERRAIN;
  const step = T.STEP;
  let state: TerrainKind = 'grass';
  let velocity = 0;
  let y = T.HEIGHT;
  let counter: number = T.STARTPAD;
  let oneshot = false;
  let stairSteps = 0;
  let stairWidth = 0;
  let stairHeight = 0;
  let originalY = 0;
  const out: BipedalTerrain = { x: [], y: [], kinds: [], obstacles: [] };
  const quad = (pts: [number, number][]): void => void out.obstacles.push(pts);

  for (let i = 0; i < T.LENGTH; i++) {
    const x = i * step;
    out.x.push(x);
    if (state === 'grass' && !oneshot) {
      velocity = 0.8 * velocity + 0.01 * Math.sign(T.HEIGHT - y);
      if (i > T.STARTPAD) velocity += rng.uniformRange(-1, 1) / T.SCALE;
      y += velocity;
    } else if (state === 'pit' && oneshot) {
      counter = integers(rng, 3, 5);
      const wall: [number, number][] = [[x, y], [x + step, y], [x + step, y - 4 * step], [x, y - 4 * step]];
      quad(wall);
      quad(wall.map(([px, py]) => [px + step * counter, py]));
      counter += 2;
      originalY = y;
    } else if (state === 'pit' && !oneshot) {
      y = originalY;
      if (counter > 1) y -= 4 * step;
    } else if (state === 'stump' && oneshot) {
      counter = integers(rng, 1, 3);
      const s = counter * step;
      quad([[x, y], [x + s, y], [x + s, y + s], [x, y + s]]);
    } else if (state === 'stairs' && oneshot) {
      stairHeight = rng.uniform() > 0.5 ? 1 : -1;
      stairWidth = integers(rng, 4, 5);
      stairSteps = integers(rng, 3, 5);
      originalY = y;
      for (let s = 0; s < stairSteps; s++) {
        const x1 = x + s * stairWidth * step;
        const x2 = x + (1 + s) * stairWidth * step;
        const top = y + s * stairHeight * step;
        const bottom = y + (-1 + s * stairHeight) * step;
        quad([[x1, top], [x2, top], [x2, bottom], [x1, bottom]]);
      }
      counter = stairSteps * stairWidth;
    } else if (state === 'stairs' && !oneshot) {
      const s = stairSteps * stairWidth - counter - stairHeight;
      y = originalY + (s / stairWidth) * stairHeight * step;
    }
    oneshot = false;
    out.y.push(y);
    out.kinds.push(state);
    counter -= 1;
    if (counter === 0) {
      counter = integers(rng, T.GRASS / 2, T.GRASS);
      state = state === 'grass' && hardcore ? KINDS[integers(rng, 1, KINDS.length)] : 'grass';
      oneshot = true;
    }
  }
  return out;
}

/** Gymnasium's decorative clouds (10 pentagons high in the sky; they draw from the generator but have no physics). */
export function generateClouds(rng: Random): { poly: [number, number][]; x1: number; x2: number }[] {
  const T = TERRAIN;
  const clouds: { poly: [number, number][]; x1: number; x2: number }[] = [];
  for (let i = 0; i < T.LENGTH / 20; i++) {
    const x = rng.uniformRange(0, T.LENGTH) * T.STEP;
    const y = ((T.VIEWPORT_H / T.SCALE) * 3) / 4;
    const poly: [number, number][] = [];
    for (let a = 0; a < 5; a++) {
      poly.push([
        x + 15 * T.STEP * Math.sin((3.14 * 2 * a) / 5) + rng.uniformRange(0, 5 * T.STEP),
        y + 5 * T.STEP * Math.cos((3.14 * 2 * a) / 5) + rng.uniformRange(0, 5 * T.STEP),
      ]);
    }
    clouds.push({ poly, x1: Math.min(...poly.map((p) => p[0])), x2: Math.max(...poly.map((p) => p[0])) });
  }
  return clouds;
}
