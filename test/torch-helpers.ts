// Shared by the PyTorch cross-checks: whether python3 imports torch, and the Python prelude that
// rebuilds a tanh MLP from the package's flat parameter layout (per layer W row-major, then b).
import { spawnSync } from 'node:child_process';

const probe = spawnSync('python3', ['-c', 'import torch'], { encoding: 'utf8' });

/** Why the PyTorch cross-checks cannot run, or null when python3 imports torch. */
export const noTorch = probe.status !== 0
  ? `python3 cannot import torch (${(probe.error?.message ?? probe.stderr.trim().split('\n').pop()) || 'python3 failed'}); pip install torch`
  : null;

/**
 * Python that reads the JSON problem `d` from stdin and builds `net` (torch.nn.Sequential of
 * Linear/Tanh, float64) from d["sizes"] and the first parameters of d["theta"]; `off` is left at
 * the first parameter after the MLP's.
 */
export const TORCH_MLP_PRELUDE = `
import json, sys, torch
d = json.load(sys.stdin)
torch.set_default_dtype(torch.float64)
sizes, theta = d["sizes"], d["theta"]
layers, off = [], 0
for i in range(len(sizes) - 1):
    lin = torch.nn.Linear(sizes[i], sizes[i + 1])
    nw = sizes[i] * sizes[i + 1]
    with torch.no_grad():
        lin.weight.copy_(torch.tensor(theta[off:off + nw]).reshape(sizes[i + 1], sizes[i]))
        lin.bias.copy_(torch.tensor(theta[off + nw:off + nw + sizes[i + 1]]))
    off += nw + sizes[i + 1]
    layers.append(lin)
    if i < len(sizes) - 2:
        layers.append(torch.nn.Tanh())
net = torch.nn.Sequential(*layers)
`;
