/** `TRPO.predict`'s input: observations in any of the accepted forms, turned into the policy's input rows. */
import type { FloatArray } from '../core/types.js';
import { flattenPacked, packObservation } from '../envs/flatten.js';
import { isDict, isDiscrete } from '../envs/spaces.js';
import { assertObservationIn } from '../envs/validation.js';
import * as v from '../validate.js';
import type { ObservationLayout } from './rollout.js';

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !ArrayBuffer.isView(x);
}

/**
 * The policy's input rows (n x layout.dim) for `obs`: a flat batch of packed rows (n x
 * layout.envDim, as a vector env gives them), or structured observations: a Dict observation
 * object or an array of them, a Discrete integer. A TypeError / RangeError naming `obs` otherwise.
 */
export function predictInputs(layout: ObservationLayout, obs: unknown, f32: boolean): FloatArray {
  const F = f32 ? Float32Array : Float64Array;
  const space = layout.space;
  let packed: ArrayLike<number>;
  const structured = (isDict(space) && (isPlainObject(obs) || (Array.isArray(obs) && obs.length > 0 && isPlainObject(obs[0])))) ||
    (isDiscrete(space) && typeof obs === 'number');
  if (structured) {
    const list = Array.isArray(obs) ? obs : [obs];
    const out = new Float64Array(list.length * layout.envDim);
    list.forEach((o, i) => {
      assertObservationIn('TRPO.predict', Array.isArray(obs) ? `obs[${i}]` : 'obs', o, space);
      packObservation(space, o, out, i * layout.envDim);
    });
    packed = out;
  } else {
    if (obs === null || typeof obs !== 'object' || typeof (obs as ArrayLike<number>).length !== 'number') {
      const forms = isDict(space) ? `, a Dict observation object or an array of them` : isDiscrete(space) ? ', or one integer of the space' : '';
      throw new TypeError(`TRPO.predict: obs: expected a flat array of n x ${layout.envDim} numbers${forms}, got ${v.describe(obs)}`);
    }
    packed = obs as ArrayLike<number>;
    if (packed.length === 0 || packed.length % layout.envDim !== 0) {
      throw new RangeError(`TRPO.predict: obs: length ${packed.length} is not a positive multiple of the observation size ${layout.envDim}`);
    }
  }
  if (layout.identity) return F.from(packed);
  const rows = packed.length / layout.envDim;
  const x = new F(rows * layout.dim);
  flattenPacked(space, packed, rows, x, 'TRPO.predict: obs');
  return x;
}
