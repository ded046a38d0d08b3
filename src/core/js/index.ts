/** The pure TypeScript compute backend (float64 throughout, whatever the spec's dtype). */

import type { Backend, DistributionSpec, NetworkSpec } from '../types.js';
import { JsPolicyCore } from './policy.js';
import { JsValueCore } from './value.js';

export { JsPolicyCore } from './policy.js';
export { JsValueCore } from './value.js';
export { Mlp, mlpLayout } from './mlp.js';
export type { LayerLayout } from './mlp.js';
export * as distributions from './distributions/index.js';

export const jsBackend: Backend = {
  name: 'js',
  createPolicy(distribution: DistributionSpec, spec: NetworkSpec): JsPolicyCore {
    return new JsPolicyCore(distribution, spec);
  },
  createValue(spec: NetworkSpec): JsValueCore {
    return new JsValueCore(spec);
  },
};
