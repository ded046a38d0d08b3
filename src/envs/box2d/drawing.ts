/** World-space outlines of the Box2D envs' bodies, for drawing a replay (metres, y up). */

/** A point (x, y) in world coordinates, metres. */
export type Point = [number, number];

/** A body's outline: its local polygon moved to the body's pose (x, y, angle). */
export interface BodyOutline {
  /** Which body: 'lander', 'leg0', 'leg1' (LunarLander) or 'hull' and the leg parts (BipedalWalker). */
  name: string;
  /** The outline's corners in world coordinates, in order. */
  polygon: Point[];
}

/** `local` rotated by `angle` and moved to (x, y): p = (x, y) + R(angle) local. */
export function toWorld(local: readonly (readonly [number, number])[], x: number, y: number, angle: number): Point[] {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return local.map(([px, py]) => [x + c * px - s * py, y + s * px + c * py]);
}

/** The corners of a box of half-sizes (hx, hy) centred on the body origin. */
export function boxCorners(hx: number, hy: number): Point[] {
  return [[-hx, -hy], [hx, -hy], [hx, hy], [-hx, hy]];
}
