// klAverage 'elements' (the default): sb3-contrib's TRPO bounds kl_divergence(new, old).mean(),
// which for Gaussian and Bernoulli actions averages a (batch × action elements) tensor. The trainer
// runs that as the joint-KL step with targetKl·d and cgDamping·d; this checks the equivalence
// against sb3-contrib's formulation written in PyTorch (autograd Hessian-vector products of the
// element-mean KL, CG from 0, the backtracking line search), and the option's plumbing.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BernoulliMlpPolicy, CategoricalMlpPolicy, GaussianMlpPolicy, MultiCategoricalMlpPolicy } from '../src/policies.js';
import { resolveTRPOOptions } from '../src/trpo/options.js';
import { klElementsOf } from '../src/trpo/update.js';
import { BACKENDS, expectClose, makeSetup, STEP } from './core-math-helpers.js';
import { noTorch, TORCH_MLP_PRELUDE } from './torch-helpers.js';

if (noTorch) console.warn(`trpo-kl-average: PyTorch cross-check skipped: ${noTorch}`);

// sb3-contrib's TRPO step (trpo.py's train(), one batch) for a tanh MLP Gaussian policy with a
// state-independent log std, in float64, CG started from 0 instead of 1e-4·randn. Reads the
// problem as JSON on stdin, prints the parameters after the step and the accepted coefficient.
const SB3_STEP = `
${TORCH_MLP_PRELUDE}from torch.distributions import Normal, kl_divergence
log_std = torch.nn.Parameter(torch.tensor(theta[off:]))
params = list(net.parameters()) + [log_std]
n, A = len(d["adv"]), sizes[-1]
obs = torch.tensor(d["obs"]).reshape(n, sizes[0])
act = torch.tensor(d["actions"]).reshape(n, A)
adv, logp_old = torch.tensor(d["adv"]), torch.tensor(d["logpOld"])
target_kl, damping = d["targetKl"], d["cgDamping"]
def dist():
    mean = net(obs)
    return Normal(mean, torch.ones_like(mean) * log_std.exp())
def flat(gs):
    return torch.cat([g.reshape(-1) for g in gs])
with torch.no_grad():
    old = dist()
new = dist()
objective = (adv * torch.exp(new.log_prob(act).sum(1) - logp_old)).mean()
kl = kl_divergence(new, old).mean()
g = flat(torch.autograd.grad(objective, params, retain_graph=True))
grad_kl = flat(torch.autograd.grad(kl, params, create_graph=True))
def hvp(v):
    return flat(torch.autograd.grad((grad_kl * v).sum(), params, retain_graph=True)) + damping * v
x = torch.zeros_like(g)
r = g.clone(); p = r.clone(); rr = r.dot(r)
for i in range(d["cgMaxSteps"]):
    Ap = hvp(p); alpha = rr / p.dot(Ap); x = x + alpha * p
    if i == d["cgMaxSteps"] - 1:
        break
    r = r - alpha * Ap; rr_new = r.dot(r)
    if rr_new < 1e-10:
        break
    p = r + (rr_new / rr) * p; rr = rr_new
step = torch.sqrt(2 * target_kl / x.dot(hvp(x)))
orig = [q.detach().clone() for q in params]
coef, accepted = 1.0, None
with torch.no_grad():
    for _ in range(10):
        o = 0
        for q, q0 in zip(params, orig):
            q.copy_(q0 + coef * step * x[o:o + q.numel()].reshape(q.shape)); o += q.numel()
        nd = dist()
        new_obj = (adv * torch.exp(nd.log_prob(act).sum(1) - logp_old)).mean()
        if kl_divergence(nd, old).mean() < target_kl and new_obj > objective:
            accepted = coef
            break
        coef *= 0.8
    if accepted is None:
        for q, q0 in zip(params, orig):
            q.copy_(q0)
out = []
for m in net:
    if isinstance(m, torch.nn.Linear):
        out += m.weight.flatten().tolist() + m.bias.tolist()
print(json.dumps({"theta": out + log_std.tolist(), "accepted": accepted}))
`;

for (const BACKEND of BACKENDS) {
  describe.skipIf(noTorch !== null)(`${BACKEND.name} backend: klAverage 'elements' against sb3-contrib's step in PyTorch`, () => {
    it('the joint-KL step with targetKl·d and cgDamping·d is sb3-contrib\'s step on the element-mean KL (d = 3)', () => {
      const actDim = 3;
      for (const seed of [1, 2]) {
        const s = makeSetup(BACKEND, 'gaussian', [5], actDim, seed, 12);
        const targetKl = 1e-3;
        const cgDamping = 0.1;
        const cgMaxSteps = 6;
        const input = JSON.stringify({
          sizes: [s.obsDim, 5, actDim], theta: Array.from(s.theta), obs: Array.from(s.batch.obs), actions: Array.from(s.batch.actions),
          adv: Array.from(s.batch.advantages), logpOld: Array.from(s.batch.logProbOld), targetKl, cgDamping, cgMaxSteps,
        });
        const r = spawnSync('python3', ['-c', SB3_STEP], { input, encoding: 'utf8' });
        expect(r.status, r.stderr).toBe(0);
        const want = JSON.parse(r.stdout) as { theta: number[]; accepted: number | null };
        expect(want.accepted).not.toBeNull();
        const stats = s.core.trpoStep(s.batch, { ...STEP, targetKl: targetKl * actDim, cgDamping: cgDamping * actDim, cgMaxSteps });
        expect(stats.accepted).toBe(true);
        expect(stats.stepFraction).toBeCloseTo(want.accepted!, 12);
        const got = new Float64Array(s.core.numParameters);
        s.core.getParameters(got);
        expectClose(got, Float64Array.from(want.theta), 1e-8, 1e-12);
        // The step really differs from the joint-KL step at the same targetKl and damping.
        s.core.setParameters(s.theta);
        s.core.trpoStep(s.batch, { ...STEP, targetKl, cgDamping, cgMaxSteps });
        const joint = new Float64Array(s.core.numParameters);
        s.core.getParameters(joint);
        let diff = 0;
        for (let j = 0; j < joint.length; j++) diff = Math.max(diff, Math.abs(joint[j] - got[j]));
        expect(diff).toBeGreaterThan(1e-4);
      }
    });
  });
}

describe('klAverage', () => {
  it('defaults to \'elements\', accepts \'joint\', and names the option for anything else', () => {
    expect(resolveTRPOOptions({}).klAverage).toBe('elements');
    expect(resolveTRPOOptions({ klAverage: 'joint' }).klAverage).toBe('joint');
    expect(() => resolveTRPOOptions({ klAverage: 'sum' as never })).toThrow(new RangeError("TRPO: options.klAverage: expected 'elements' or 'joint', got the string \"sum\""));
  });

  it('averages over the action elements of Gaussian and Bernoulli policies only', () => {
    const elements = resolveTRPOOptions({});
    const joint = resolveTRPOOptions({ klAverage: 'joint' });
    const gaussian = new GaussianMlpPolicy({ obsDim: 3, actDim: 4, hiddenSizes: [5], backend: 'js', seed: 0 });
    const gsde = new GaussianMlpPolicy({ obsDim: 3, actDim: 2, hiddenSizes: [5], backend: 'js', seed: 0, useSde: true });
    const bernoulli = new BernoulliMlpPolicy({ obsDim: 3, nBits: 5, hiddenSizes: [5], backend: 'js', seed: 0 });
    const categorical = new CategoricalMlpPolicy({ obsDim: 3, nActions: 4, hiddenSizes: [5], backend: 'js', seed: 0 });
    const multi = new MultiCategoricalMlpPolicy({ obsDim: 3, nvec: [2, 3], hiddenSizes: [5], backend: 'js', seed: 0 });
    expect([gaussian, gsde, bernoulli, categorical, multi].map((p) => klElementsOf(p, elements))).toEqual([4, 2, 5, 1, 1]);
    expect([gaussian, gsde, bernoulli, categorical, multi].map((p) => klElementsOf(p, joint))).toEqual([1, 1, 1, 1, 1]);
  });
});
