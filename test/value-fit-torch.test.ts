// The critic fit of both backends against PyTorch: torch.optim.Adam with SB3's eps (1e-5) on
// nn.Linear/tanh layers in float64, the same minibatches and MSE loss (F.mse_loss), as sb3-contrib's
// TRPO critic update. Skips, saying why, when python3 cannot import torch.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { ValueCore } from '../src/core/types.js';
import { Random } from '../src/random.js';
import { noTorch, TORCH_MLP_PRELUDE } from './torch-helpers.js';
import { BACKENDS, expectClose, normals } from './core-math-helpers.js';

if (noTorch) console.warn(`value-fit-torch: skipped: ${noTorch}`);

// Reads {sizes, theta, obs, returns, returns2, order, epochs, batchSize, lr} as JSON on stdin, fits to
// returns and then (one optimizer, as over two TRPO updates) to returns2, and prints the parameters
// after the second fit, in the package's layout (per layer W row-major, then b).
const TORCH_FIT = `
${TORCH_MLP_PRELUDE}opt = torch.optim.Adam(net.parameters(), lr=d["lr"], eps=1e-5)
n = len(d["returns"])
obs = torch.tensor(d["obs"]).reshape(n, sizes[0])
ret = torch.tensor(d["returns"])
for rr in [ret, torch.tensor(d["returns2"])]:
  for e in range(d["epochs"]):
    perm = d["order"][e * n:(e + 1) * n]
    for s in range(0, n, d["batchSize"]):
        idx = torch.tensor(perm[s:s + d["batchSize"]])
        loss = torch.nn.functional.mse_loss(rr[idx], net(obs[idx]).flatten())
        opt.zero_grad()
        loss.backward()
        opt.step()
out = []
for m in net:
    if isinstance(m, torch.nn.Linear):
        out += m.weight.detach().flatten().tolist() + m.bias.detach().tolist()
print(json.dumps(out))
`;

for (const BACKEND of BACKENDS) {
  describe.skipIf(noTorch !== null)(`${BACKEND.name} backend: critic fit against PyTorch's Adam (eps 1e-5)`, () => {
    it('gives PyTorch\'s parameters after two fits of 3 epochs of minibatches (Adam\'s state carried over), including gradients small enough for eps to matter', () => {
      const obsDim = 3;
      const hidden = [6, 5];
      const n = 11;
      const rng = new Random(17);
      const core: ValueCore = BACKEND.createValue({ activationFn: 'tanh', inDim: obsDim, outDim: 1, hiddenSizes: hidden, dtype: 'float64' });
      const theta = normals(rng, core.numParameters, 0.5);
      core.setParameters(theta);
      const obs = normals(rng, n * obsDim);
      // The third input is tiny, so the gradients of the first layer's weights on it are ~1e-6:
      // there Adam's step depends on eps (1e-5 against sqrt(v) ~ 1e-6).
      for (let i = 0; i < n; i++) obs[i * obsDim + 2] *= 1e-6;
      const returns = normals(rng, n, 2);
      const epochs = 3;
      const batchSize = 4;
      const order = new Uint32Array(epochs * n);
      for (let e = 0; e < epochs; e++) {
        const perm = Uint32Array.from({ length: n }, (_, i) => i);
        rng.shuffle(perm);
        order.set(perm, e * n);
      }
      const lr = 0.01;
      core.fit(obs, returns, n, order, { learningRate: lr, epochs, batchSize, maxGradNorm: Infinity });
      // the next update's fit continues Adam's step count and moments, as SB3's one policy optimizer does
      const returns2 = normals(rng, n, 3);
      core.fit(obs, returns2, n, order, { learningRate: lr, epochs, batchSize, maxGradNorm: Infinity });
      const got = new Float64Array(core.numParameters);
      core.getParameters(got);

      const input = JSON.stringify({
        sizes: [obsDim, ...hidden, 1], theta: Array.from(theta), obs: Array.from(obs), returns: Array.from(returns),
        order: Array.from(order), epochs, batchSize, lr, returns2: Array.from(returns2),
      });
      const r = spawnSync('python3', ['-c', TORCH_FIT], { input, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const want = Float64Array.from(JSON.parse(r.stdout) as number[]);
      expectClose(got, want, 1e-10);

      // The check has teeth: the same fit with eps 1e-8 lands measurably elsewhere on the tiny-input weights.
      const withOldEps = spawnSync('python3', ['-c', TORCH_FIT.replace('eps=1e-5', 'eps=1e-8')], { input, encoding: 'utf8' });
      const other = Float64Array.from(JSON.parse(withOldEps.stdout) as number[]);
      let maxRel = 0;
      for (let j = 0; j < got.length; j++) maxRel = Math.max(maxRel, Math.abs(other[j] - got[j]) / Math.max(Math.abs(got[j]), 1e-12));
      expect(maxRel).toBeGreaterThan(1e-6);
    });
  });
}
