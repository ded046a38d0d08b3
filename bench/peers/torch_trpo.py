"""The TRPO step in PyTorch on the CPU, as sb3-contrib and the seed notebook write it.

Gaussian MLP policy (tanh hidden layers, linear head, state-independent log_std), surrogate
mean(ratio * A), Fisher-vector products by double backprop of the mean KL(pi_old || pi) with the
first-order gradient graph built once per step and reused by every product ("cached"), CG 10
iterations, full step sqrt(2 delta / s^T F s) s, backtracking line search 10 x 0.8.

Reads the problems written by bench/peers/torch.ts (a manifest JSON and raw little-endian arrays),
times forward, one FVP and the TRPO step at each thread count, prints one JSON object on stdout.

    python torch_trpo.py <manifest.json> <threads,...> <budget seconds>
"""
import json
import math
import sys
import time

import torch
from torch import nn
from torch.nn.utils import parameters_to_vector, vector_to_parameters

FVP_METHOD = "double backprop of the mean KL, first-order grad graph cached per step"


def load(path, dtype, shape):
    with open(path, "rb") as f:
        data = bytearray(f.read())
    return torch.frombuffer(data, dtype=dtype).reshape(shape).clone()


class Policy(nn.Module):
    def __init__(self, obs_dim, act_dim, hidden):
        super().__init__()
        layers, prev = [], obs_dim
        for h in hidden:
            layers += [nn.Linear(prev, h), nn.Tanh()]
            prev = h
        layers.append(nn.Linear(prev, act_dim))
        self.mu = nn.Sequential(*layers)
        self.log_std = nn.Parameter(torch.zeros(act_dim))


def log_prob(mu, log_std, actions):
    z = (actions - mu) * torch.exp(-log_std)
    return (-0.5 * z * z - log_std - 0.5 * math.log(2 * math.pi)).sum(dim=1)


def mean_kl(mu_old, log_std_old, mu, log_std):
    var_old = torch.exp(2 * log_std_old)
    kl = log_std - log_std_old + (var_old + (mu_old - mu) ** 2) / (2 * torch.exp(2 * log_std)) - 0.5
    return kl.sum(dim=1).mean()


def flat_grad(y, params, **kw):
    return torch.cat([g.reshape(-1) for g in torch.autograd.grad(y, params, **kw)])


def conjugate_gradient(fvp, b, iters, tol=1e-10):
    x = torch.zeros_like(b)
    r = b.clone()
    p = b.clone()
    rr = r.dot(r)
    for _ in range(iters):
        Ap = fvp(p)
        pAp = p.dot(Ap)
        if pAp <= 0:
            break
        alpha = rr / pAp
        x += alpha * p
        r -= alpha * Ap
        rr_new = r.dot(r)
        if rr_new < tol:
            break
        p = r + (rr_new / rr) * p
        rr = rr_new
    return x


class Problem:
    def __init__(self, spec, folder):
        n, o, a = spec["n"], spec["obsDim"], spec["actDim"]
        self.spec = spec
        self.policy = Policy(o, a, spec["hidden"])
        # The flat layout of trpo-node: layers input to output (weight, bias), log_std last.
        # (Module.parameters() would yield the module's own log_std first.)
        self.params = list(self.policy.mu.parameters()) + [self.policy.log_std]
        self.theta0 = load(f"{folder}/{spec['id']}.params", torch.float64, (-1,)).float()
        vector_to_parameters(self.theta0, self.params)
        self.obs = load(f"{folder}/{spec['id']}.obs", torch.float32, (n, o))
        self.actions = load(f"{folder}/{spec['id']}.actions", torch.float32, (n, a))
        self.adv = load(f"{folder}/{spec['id']}.advantages", torch.float32, (n,))
        self.logp_old = load(f"{folder}/{spec['id']}.logProbOld", torch.float32, (n,))
        self.direction = load(f"{folder}/{spec['id']}.direction", torch.float64, (-1,)).float()

    def kl_grad(self):
        """Forward at theta, the mean KL against its detached self, its gradient with create_graph."""
        mu = self.policy.mu(self.obs)
        log_std = self.policy.log_std
        kl = mean_kl(mu.detach(), log_std.detach(), mu, log_std)
        return mu, flat_grad(kl, self.params, create_graph=True)

    def fvp_from(self, grad_kl, v, damping):
        return flat_grad((grad_kl * v).sum(), self.params, retain_graph=True) + damping * v

    def forward(self):
        with torch.no_grad():
            self.policy.mu(self.obs)

    def fvp_uncached(self, damping=0.1):
        _, grad_kl = self.kl_grad()
        return self.fvp_from(grad_kl, self.direction, damping)

    def reset(self):
        with torch.no_grad():
            vector_to_parameters(self.theta0, self.params)

    def step(self, max_kl=0.01, cg_iters=10, damping=0.1, ls_iters=10, ls_coeff=0.8):
        self.reset()
        mu = self.policy.mu(self.obs)
        log_std = self.policy.log_std
        ratio = torch.exp(log_prob(mu, log_std, self.actions) - self.logp_old)
        surr = (ratio * self.adv).mean()
        g = flat_grad(surr, self.params, retain_graph=True)
        kl = mean_kl(mu.detach(), log_std.detach(), mu, log_std)
        grad_kl = flat_grad(kl, self.params, create_graph=True)  # cached for every product
        fvp = lambda v: self.fvp_from(grad_kl, v, damping)
        s = conjugate_gradient(fvp, g.detach(), cg_iters)
        sFs = s.dot(fvp(s))
        full = torch.sqrt(2 * max_kl / sFs) * s
        mu_old, log_std_old = mu.detach(), log_std.detach().clone()
        L0 = surr.item()
        with torch.no_grad():
            for i in range(ls_iters):
                vector_to_parameters(self.theta0 + (ls_coeff ** i) * full, self.params)
                mu_new = self.policy.mu(self.obs)
                ls_new = self.policy.log_std
                kl_new = mean_kl(mu_old, log_std_old, mu_new, ls_new).item()
                L = (torch.exp(log_prob(mu_new, ls_new, self.actions) - self.logp_old) * self.adv).mean().item()
                if kl_new <= max_kl and L > L0:
                    return i, True
            vector_to_parameters(self.theta0, self.params)
        return ls_iters, False


def measure(fn, budget):
    """Median wall and process CPU milliseconds per call, as bench/measure.ts."""
    c0, t0 = time.process_time(), time.perf_counter()
    fn()
    first, first_cpu = time.perf_counter() - t0, time.process_time() - c0
    if first * 2 >= budget:
        return first * 1e3, first_cpu * 1e3, 1
    wall, cpu = [], []
    start = time.perf_counter()
    while len(wall) < 200 and (len(wall) < 5 or time.perf_counter() - start < budget / 2):
        c, t = time.process_time(), time.perf_counter()
        fn()
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    wall.sort()
    cpu.sort()
    return wall[len(wall) // 2] * 1e3, cpu[len(cpu) // 2] * 1e3, len(wall)


def main():
    manifest_path, threads_arg, budget_arg = sys.argv[1:4]
    with open(manifest_path) as f:
        manifest = json.load(f)
    folder = manifest["folder"]
    budget = float(budget_arg)
    results = []
    problems = [Problem(spec, folder) for spec in manifest["problems"]]
    for threads in [int(t) for t in threads_arg.split(",")]:
        torch.set_num_threads(threads)
        for p in problems:
            p.reset()  # a previous step moved the parameters
            fv = p.fvp_uncached()
            ref = load(f"{folder}/{p.spec['id']}.referenceFvp", torch.float64, (-1,))
            rel = ((fv.double() - ref).norm() / ref.norm()).item()
            fwd_ms, _, _ = measure(p.forward, budget / 4)
            fvp_ms, _, _ = measure(lambda: p.fvp_uncached(), budget / 4)
            _, grad_kl = p.kl_grad()
            cached_ms, _, _ = measure(lambda: p.fvp_from(grad_kl, p.direction, 0.1), budget / 4)
            del grad_kl
            stats = {}

            def run_step():
                stats["backtracks"], stats["accepted"] = p.step()

            step_ms, step_cpu_ms, repeats = measure(run_step, budget)
            results.append({
                "threads": threads, "id": p.spec["id"], "n": p.spec["n"], "net": "x".join(map(str, p.spec["hidden"])),
                "fvpMethod": FVP_METHOD, "forwardMs": fwd_ms, "fvpMs": fvp_ms, "fvpCachedMs": cached_ms,
                "stepMs": step_ms, "stepCpuMs": step_cpu_ms, "repeats": repeats, "backtracks": stats["backtracks"],
                "accepted": stats["accepted"], "fvpRelError": rel,
            })
    print(json.dumps({"version": torch.__version__, "results": results}))


if __name__ == "__main__":
    main()
