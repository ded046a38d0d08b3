/**
 * What the report's replay needs to draw a MuJoCo episode: the model's geoms (type, size, colour,
 * whether they are fixed to the world) once, and per frame every geom's world pose (position and
 * orientation quaternion), read from MjModel/MjData fields (`geom_xpos`, `geom_xmat`).
 *
 * Only the model/data fields named in `GeomModelFields`/`GeomDataFields` are read, so any MuJoCo
 * binding (or a plain object in a test) works. Views are read afresh on each call (cached views
 * of the WASM heap detach when it grows).
 */

/** mjtGeom codes. */
export const GEOM = Object.freeze({ plane: 0, hfield: 1, sphere: 2, capsule: 3, ellipsoid: 4, cylinder: 5, box: 6, mesh: 7 });

/** x-z side view (planar walkers, pendulums) or x-y top view (Ant, Swimmer, Reacher, Pusher). */
export type MujocoView = 'side' | 'top';

export interface SceneGeom {
  /** mjtGeom code (see GEOM). */
  type: number;
  /** MuJoCo's geom_size: sphere [r], capsule/cylinder [r, half-length], box/ellipsoid half-extents, plane [half-x, half-y, grid]. */
  size: [number, number, number];
  rgba: [number, number, number, number];
  /** Attached to the world body: never moves. */
  fixed: boolean;
}

export interface MujocoScene {
  view: MujocoView;
  /** The camera follows the moving geoms (locomotion); otherwise it frames the whole episode. */
  track: boolean;
  geoms: SceneGeom[];
}

/** View and camera per MuJoCo env id. */
export const MUJOCO_VIEWS: Readonly<Record<string, { view: MujocoView; track: boolean }>> = Object.freeze({
  'Hopper-v5': { view: 'side', track: true },
  'Walker2d-v5': { view: 'side', track: true },
  'HalfCheetah-v5': { view: 'side', track: true },
  'Humanoid-v5': { view: 'side', track: true },
  'InvertedPendulum-v5': { view: 'side', track: false },
  'InvertedDoublePendulum-v5': { view: 'side', track: false },
  'Ant-v5': { view: 'top', track: true },
  'Swimmer-v5': { view: 'top', track: true },
  'Reacher-v5': { view: 'top', track: false },
  'Pusher-v5': { view: 'top', track: false },
});

type Numbers = ArrayLike<number>;

/** The MjModel fields read here. */
export interface GeomModelFields {
  ngeom: number;
  geom_type: Numbers;
  geom_size: Numbers;
  geom_rgba: Numbers;
  geom_bodyid: Numbers;
  geom_matid: Numbers;
  mat_rgba: Numbers;
}

/** The MjData fields read here (after mj_forward or mj_step). */
export interface GeomDataFields {
  geom_xpos: Numbers;
  geom_xmat: Numbers;
}

/** Numbers per geom in a pose frame: position (3) then quaternion w, x, y, z (4). */
export const POSE_STRIDE = 7;

const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

function isDefaultRgba(r: number[]): boolean {
  return Math.abs(r[0] - 0.5) < 1e-6 && Math.abs(r[1] - 0.5) < 1e-6 && Math.abs(r[2] - 0.5) < 1e-6 && r[3] === 1;
}

/**
 * The geoms of a model. A geom with a material and MuJoCo's default colour is drawn in the
 * material's colour (as MuJoCo's renderer does).
 */
export function sceneOf(model: GeomModelFields, view: MujocoView, track: boolean): MujocoScene {
  const n = model.ngeom;
  const { geom_type: type, geom_size: size, geom_rgba: rgba, geom_bodyid: body, geom_matid: matid, mat_rgba: matRgba } = model;
  const geoms: SceneGeom[] = [];
  for (let g = 0; g < n; g++) {
    let color = [rgba[4 * g], rgba[4 * g + 1], rgba[4 * g + 2], rgba[4 * g + 3]];
    const mat = matid[g];
    if (mat >= 0 && isDefaultRgba(color)) color = [matRgba[4 * mat], matRgba[4 * mat + 1], matRgba[4 * mat + 2], matRgba[4 * mat + 3]];
    geoms.push({
      type: type[g],
      size: [round(size[3 * g], 6), round(size[3 * g + 1], 6), round(size[3 * g + 2], 6)],
      rgba: color.map((c) => round(c, 3)) as SceneGeom['rgba'],
      fixed: body[g] === 0,
    });
  }
  return { view, track, geoms };
}

/**
 * Rotation matrix (row-major 3x3 at m[o..o+8]) to a unit quaternion [w, x, y, z], by the largest
 * of the four candidate divisors (Shepperd's method) for accuracy.
 */
export function matToQuat(m: Numbers, o = 0): [number, number, number, number] {
  const m00 = m[o], m01 = m[o + 1], m02 = m[o + 2], m10 = m[o + 3], m11 = m[o + 4], m12 = m[o + 5], m20 = m[o + 6], m21 = m[o + 7], m22 = m[o + 8];
  const tr = m00 + m11 + m22;
  let q: [number, number, number, number];
  if (tr > 0) {
    const s = 2 * Math.sqrt(tr + 1);
    q = [s / 4, (m21 - m12) / s, (m02 - m20) / s, (m10 - m01) / s];
  } else if (m00 > m11 && m00 > m22) {
    const s = 2 * Math.sqrt(1 + m00 - m11 - m22);
    q = [(m21 - m12) / s, s / 4, (m01 + m10) / s, (m02 + m20) / s];
  } else if (m11 > m22) {
    const s = 2 * Math.sqrt(1 + m11 - m00 - m22);
    q = [(m02 - m20) / s, (m01 + m10) / s, s / 4, (m12 + m21) / s];
  } else {
    const s = 2 * Math.sqrt(1 + m22 - m00 - m11);
    q = [(m10 - m01) / s, (m02 + m20) / s, (m12 + m21) / s, s / 4];
  }
  if (q[0] < 0) q = [-q[0], -q[1], -q[2], -q[3]];
  return q;
}

/** One frame: per geom x, y, z, qw, qx, qy, qz (positions to 0.1 mm, quaternions to 1e-5). */
export function poseFrame(model: Pick<GeomModelFields, 'ngeom'>, data: GeomDataFields): number[] {
  const n = model.ngeom;
  const pos = data.geom_xpos;
  const mat = data.geom_xmat;
  const out = new Array<number>(n * POSE_STRIDE);
  for (let g = 0; g < n; g++) {
    const q = matToQuat(mat, 9 * g);
    const o = g * POSE_STRIDE;
    out[o] = round(pos[3 * g], 4);
    out[o + 1] = round(pos[3 * g + 1], 4);
    out[o + 2] = round(pos[3 * g + 2], 4);
    for (let k = 0; k < 4; k++) out[o + 3 + k] = round(q[k], 5);
  }
  return out;
}
