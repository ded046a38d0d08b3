/** The distribution of a DistributionSpec. Twin: cpp/distributions/make.hpp. */
import type { DistributionSpec } from '../../types.js';
import { Bernoulli } from './bernoulli.js';
import { Categorical } from './categorical.js';
import { DiagGaussian } from './diag-gaussian.js';
import { GsdeGaussian } from './gsde-gaussian.js';
import type { Distribution } from './distribution.js';
import { MultiCategorical } from './multi-categorical.js';

export type { Distribution } from './distribution.js';
export { Bernoulli, Categorical, DiagGaussian, GsdeGaussian, MultiCategorical };

/**
 * The distribution over `outDim` network outputs (and, for gSDE, the `latentDim` features of the
 * last hidden layer). Throws a RangeError when outDim does not fit the distribution.
 */
export function makeDistribution(d: DistributionSpec, outDim: number, latentDim = 0): Distribution {
  let dist: Distribution;
  switch (d.kind) {
    case 'gsde':
      dist = new GsdeGaussian({ actDim: outDim, latentDim, fullStd: d.fullStd ?? false, useExpln: d.useExpln ?? false, learnFeatures: d.learnFeatures ?? false });
      break;
    case 'gaussian': dist = new DiagGaussian(outDim); break;
    case 'categorical': dist = new Categorical(outDim); break;
    case 'bernoulli': dist = new Bernoulli(outDim); break;
    case 'multiCategorical':
      if (d.nvec.length === 0) throw new RangeError('nvec: expected at least one component');
      for (const k of d.nvec) if (!Number.isInteger(k) || k < 1) throw new RangeError('nvec: expected positive integers');
      dist = new MultiCategorical(d.nvec);
      break;
    default:
      throw new TypeError(`distribution.kind: expected 'gaussian', 'categorical', 'multiCategorical', 'bernoulli' or 'gsde', got ${String((d as { kind: unknown }).kind)}`);
  }
  if (dist.outDim - (dist.latentDim ?? 0) !== outDim) throw new RangeError(`outDim: expected ${dist.outDim} (the sum of nvec), got ${outDim}`);
  return dist;
}
