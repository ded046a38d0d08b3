/**
 * The MuJoCo replay's scene reader (src/report/mujoco-scene.ts) on a small model of this test:
 * geom types, sizes, colours (a material's colour where the geom keeps MuJoCo's default), which
 * geoms are fixed, and pose frames whose quaternions reproduce MuJoCo's geom_xmat.
 */
import load from '@mujoco/mujoco';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GEOM, POSE_STRIDE, matToQuat, poseFrame, sceneOf } from '../src/report/mujoco-scene.js';

const XML = `<mujoco>
  <asset><material name="blue" rgba="0.1 0.2 0.9 1"/></asset>
  <worldbody>
    <geom name="floor" type="plane" size="5 4 0.1" rgba="0.8 0.9 0.8 1"/>
    <body name="b" pos="0.3 -0.2 1"><freejoint/>
      <geom type="capsule" size="0.05 0.2" euler="0 40 0"/>
      <geom type="box" size="0.1 0.2 0.3" pos="0.3 0 0" material="blue"/>
      <geom type="sphere" size="0.07" pos="0 0.2 0" rgba="1 0 0 1"/>
      <geom type="cylinder" size="0.04 0.1" pos="0 0 0.3" euler="30 20 10"/>
    </body>
  </worldbody>
</mujoco>`;

/** Row-major rotation matrix of a unit quaternion [w, x, y, z]. */
function quatToMat([w, x, y, z]: number[]): number[] {
  return [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
    2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
    2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)];
}

describe('MuJoCo replay scene', () => {
  it('matToQuat inverts quatToMat for random rotations (all four branches)', () => {
    const q = fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }))
      .filter((v) => Math.hypot(...v) > 0.1);
    fc.assert(fc.property(q, (v) => {
      const n = Math.hypot(...v);
      const u = v.map((c) => c / n);
      const r = quatToMat(u);
      const back = matToQuat(r);
      // a unit quaternion with w >= 0 of the same rotation (q and -q are the same rotation)
      expect(Math.hypot(...back)).toBeCloseTo(1, 12);
      expect(back[0]).toBeGreaterThanOrEqual(0);
      const again = quatToMat(back);
      for (let k = 0; k < 9; k++) expect(again[k]).toBeCloseTo(r[k], 12);
    }));
    expect(matToQuat([1, 0, 0, 0, -1, 0, 0, 0, -1])).toEqual([0, 1, 0, 0]); // 180° about x (trace < 0 branch)
  });

  it('reads types, sizes, colours and fixed geoms, and per-frame poses matching geom_xpos / geom_xmat', async () => {
    const mj = await load();
    const m = mj.MjModel.from_xml_string(XML);
    const d = new mj.MjData(m);
    try {
      (d.qvel as Float64Array).set([0.5, 0, 0, 1, 2, 3]);
      for (let i = 0; i < 50; i++) mj.mj_step(m, d);
      const scene = sceneOf(m, 'side', true);
      expect(scene.view).toBe('side');
      expect(scene.geoms.map((g) => g.type)).toEqual([GEOM.plane, GEOM.capsule, GEOM.box, GEOM.sphere, GEOM.cylinder]);
      expect(scene.geoms.map((g) => g.fixed)).toEqual([true, false, false, false, false]);
      expect(scene.geoms[0].size).toEqual([5, 4, 0.1]);
      expect(scene.geoms[1].size.slice(0, 2)).toEqual([0.05, 0.2]);
      expect(scene.geoms[2].size).toEqual([0.1, 0.2, 0.3]);
      expect(scene.geoms[2].rgba).toEqual([0.1, 0.2, 0.9, 1]); // the material's colour
      expect(scene.geoms[3].rgba).toEqual([1, 0, 0, 1]);
      expect(scene.geoms[1].rgba).toEqual([0.5, 0.5, 0.5, 1]); // MuJoCo's default, no material
      const f = poseFrame(m, d);
      expect(f).toHaveLength(m.ngeom * POSE_STRIDE);
      const xpos = d.geom_xpos as Float64Array;
      const xmat = d.geom_xmat as Float64Array;
      for (let g = 0; g < m.ngeom; g++) {
        for (let k = 0; k < 3; k++) expect(Math.abs(f[g * POSE_STRIDE + k] - xpos[3 * g + k])).toBeLessThanOrEqual(5e-5);
        const r = quatToMat(f.slice(g * POSE_STRIDE + 3, g * POSE_STRIDE + 7));
        for (let k = 0; k < 9; k++) expect(Math.abs(r[k] - xmat[9 * g + k])).toBeLessThan(1e-4);
      }
      expect(f[1 * POSE_STRIDE]).not.toBeCloseTo(0.3, 2); // the body moved
    } finally {
      d.delete();
      m.delete();
    }
  });
});
