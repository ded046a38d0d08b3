#!/usr/bin/env python3
"""Record long Ant-v5 episodes (gymnasium 1.3.0, mujoco 3.14.0) for a step-by-step differential check.

Development tool only: the package never runs Python.

    python3 scripts/record-ant-episodes.py [--all] [out.json]

Each episode starts from gym.make("Ant-v5").reset(seed) and, for some, a start state written with
the documented `set_state(qpos, qvel)` (upside down, thrown upwards, pressed into the floor,
under the floor, tilted and spinning), then
runs up to 1000 steps (the TimeLimit) with one action regime: uniform in the action space, uniform
in 3x the action space (Gymnasium does not clip, the control cost sees the raw action), bang-bang
+-1, a periodic trot, or zeros. Every step keeps the state it started from, so a replay can start
each step from Gymnasium's state (rollouts are chaotic; free-running comparisons drift after a few
dozen contact-rich steps even with last-bit differences).

Regimes whose episodes end early run further episodes (reset seed + 100 k) up to 1000 steps in
all. Output (default test/fixtures/ant-v5-episodes.json): the first 3 episodes of each regime, and
of each episode every 50th step plus the first 3, the last 3, every terminating step and the 3
steps with the largest contact cost; `--all` keeps every episode and step (about 36 MB; for a
one-off check, not for the repository).
Per kept step: t, before (mjSTATE_INTEGRATION + torso xpos), action, obs (105), reward,
terminated, truncated, info (every numeric entry), after (mjSTATE_INTEGRATION + torso xpos).
"""

import json
import math
import os
import sys

import gymnasium as gym
import mujoco
import numpy as np

from jsonable import jsonable

MAX_STEPS = 1000
EVERY = 50
KEEP_EPISODES = 3  # per regime in the fixture


def state_of(m, d):
    spec = mujoco.mjtState.mjSTATE_INTEGRATION
    out = np.empty(mujoco.mj_stateSize(m, spec))
    mujoco.mj_getState(m, d, out, spec)
    return np.concatenate([out, d.xpos[1].copy()])


def numeric_info(info):
    out = {}
    for key, value in info.items():
        arr = np.asarray(value)
        if arr.dtype.kind in "biuf":
            out[key] = jsonable(arr.astype(np.float64).tolist(), non_finite="raise")
    return out


def quat_about_x(angle):
    return np.array([math.cos(angle / 2), math.sin(angle / 2), 0.0, 0.0])


def start_upside_down(u):
    qpos = u.data.qpos.copy()
    qpos[2] = 0.6
    qpos[3:7] = quat_about_x(math.pi)
    u.set_state(qpos, u.data.qvel.copy())


def start_thrown_up(u):
    qvel = u.data.qvel.copy()
    qvel[2] = 4.0
    qvel[3] = 3.0
    u.set_state(u.data.qpos.copy(), qvel)


def start_pressed_down(u):
    qpos = u.data.qpos.copy()
    qpos[2] = 0.3
    qvel = u.data.qvel.copy()
    qvel[2] = -3.0
    u.set_state(qpos, qvel)


def start_under_floor(u):
    # the legs hold the torso at z >= 0.25 on the floor; only a start below the floor plane ends
    # a step under the healthy range (0.2)
    qpos = u.data.qpos.copy()
    qpos[2] = -1.5
    qvel = u.data.qvel.copy()
    qvel[2] = -5.0
    u.set_state(qpos, qvel)


def start_tilted_spin(u):
    qpos = u.data.qpos.copy()
    qpos[3:7] = quat_about_x(1.2)
    qvel = u.data.qvel.copy()
    qvel[5] = 8.0
    u.set_state(qpos, qvel)


def actions_uniform(scale):
    def policy(t, rng, low, high):
        return rng.uniform(low * scale, high * scale)
    return policy


def actions_bang_bang(t, rng, low, high):
    return np.where(rng.uniform(size=low.shape) < 0.5, low, high)


def actions_trot(t, rng, low, high):
    # hips and ankles of diagonal legs in phase, 1.2 Hz at dt = 0.05
    phase = 2 * math.pi * 0.06 * t
    hip = math.sin(phase)
    ankle = math.cos(phase)
    a = np.array([hip, ankle, -hip, -ankle, hip, ankle, -hip, -ankle])
    return np.clip(a + 0.1 * rng.standard_normal(8), low, high)


def actions_zero(t, rng, low, high):
    return np.zeros_like(low)


# [name, reset seed, start, action regime]
EPISODES = [
    ["uniform", 1, None, actions_uniform(1.0)],
    ["uniform-x0.3", 11, None, actions_uniform(0.3)],
    ["trot-x0.5", 12, None, lambda t, rng, low, high: 0.5 * actions_trot(t, rng, low, high)],
    ["uniform-x3", 2, None, actions_uniform(3.0)],
    ["bang-bang", 3, None, actions_bang_bang],
    ["trot", 4, None, actions_trot],
    ["zero", 5, None, actions_zero],
    ["upside-down", 6, start_upside_down, actions_uniform(1.0)],
    ["thrown-up", 7, start_thrown_up, actions_uniform(1.0)],
    ["pressed-down", 8, start_pressed_down, actions_bang_bang],
    ["tilted-spin", 9, start_tilted_spin, actions_uniform(3.0)],
    ["under-floor", 10, start_under_floor, actions_uniform(1.0)],
]


def record_episode(name, seed, start, policy):
    env = gym.make("Ant-v5")
    u = env.unwrapped
    low = env.action_space.low.astype(np.float64)
    high = env.action_space.high.astype(np.float64)
    rng = np.random.default_rng(1000 + seed)
    env.reset(seed=seed)
    if start is not None:
        start(u)
    steps = []
    before = state_of(u.model, u.data)
    for t in range(MAX_STEPS):
        a = np.asarray(policy(t, rng, low, high), dtype=np.float64)
        obs, reward, terminated, truncated, info = env.step(a)
        after = state_of(u.model, u.data)
        steps.append({
            "t": t,
            "before": jsonable(before, non_finite="raise"),
            "action": jsonable(a, non_finite="raise"),
            "obs": jsonable(obs, non_finite="raise"),
            "reward": jsonable(float(reward), non_finite="raise"),
            "terminated": bool(terminated),
            "truncated": bool(truncated),
            "info": numeric_info(info),
            "after": jsonable(after, non_finite="raise"),
        })
        before = after
        if terminated or truncated:
            break
    env.close()
    end = "terminated" if steps[-1]["terminated"] else "truncated" if steps[-1]["truncated"] else "max_steps"
    z = [s["before"][3] for s in steps]
    print(f"{name}: {len(steps)} steps ({end}), z in [{min(z):.3f}, {max(z):.3f}], "
          f"return {sum(s['reward'] for s in steps):.1f}")
    return {"name": name, "reset_seed": seed, "n_steps": len(steps), "end": end, "steps": steps}


def subsample(ep):
    steps = ep["steps"]
    n = len(steps)
    keep = set(range(min(3, n))) | set(range(max(0, n - 3), n)) | set(range(0, n, EVERY))
    keep |= {i for i, s in enumerate(steps) if s["terminated"] or s["truncated"]}
    by_contact = sorted(range(n), key=lambda i: steps[i]["info"]["reward_contact"])
    keep |= set(by_contact[:3])
    return {**ep, "steps": [steps[i] for i in sorted(keep)]}


def main():
    args = [a for a in sys.argv[1:] if a != "--all"]
    keep_all = "--all" in sys.argv[1:]
    here = os.path.dirname(os.path.abspath(__file__))
    out = args[0] if args else os.path.join(here, "..", "test", "fixtures", "ant-v5-episodes.json")
    episodes = []
    for name, seed, start, policy in EPISODES:
        # short (terminating) regimes run several episodes, up to MAX_STEPS steps in all
        total, k = 0, 0
        while total < MAX_STEPS and k < 40:
            ep = record_episode(f"{name}#{k}", seed + 100 * k, start, policy)
            if keep_all or k < KEEP_EPISODES:
                episodes.append(ep)
            total += ep["n_steps"]
            k += 1
    if not keep_all:
        episodes = [subsample(e) for e in episodes]
    doc = {
        "generator": "scripts/record-ant-episodes.py (gymnasium %s, mujoco %s)" % (gym.__version__, mujoco.__version__),
        "env": "Ant-v5 (default arguments)",
        "state": "before/after: mjSTATE_INTEGRATION (mj_getState) followed by the torso's xpos (3)",
        "replay": "for each kept step: setState({ physics: before }) (mj_setState, mj_forward, torso xpos put back), "
        "with the time-limit counter at t; step(action); compare obs, reward, terminated, truncated, info, after",
        "episodes": episodes,
    }
    with open(out, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", os.path.relpath(out), os.path.getsize(out), "bytes")


if __name__ == "__main__":
    main()
