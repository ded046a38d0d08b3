#!/usr/bin/env python3
"""Record reference trajectories of Humanoid-v5 and Pusher-v5 (gymnasium 1.3.0, mujoco 3.14.0).

Development tool only: the package never runs Python. The output has the layout of
../shared/reference/mujoco-v5-trajectories.json (same action formula, state vector, fields and
replay protocol) so the same test harness reads both files.

    OPENBLAS_CORETYPE=SkylakeX python3 scripts/record-mujoco-trajectories.py [out.json]

OPENBLAS_CORETYPE=SkylakeX makes numpy's OpenBLAS sum short dot products (np.linalg.norm) with
fused multiply-adds, as on the machine that recorded ../shared/reference/mujoco-v5-trajectories.json;
the script refuses to record with another kernel (see blas_dot_kind).

Default output: test/fixtures/mujoco-v5-humanoid-pusher-trajectories.json. After recording, the
script replays every step from the recorded states (the protocol in REPLAY) and stops with an
error unless every field is reproduced bit for bit.
"""

import hashlib
import json
import os
import platform
import sys

import gymnasium as gym
import mujoco
import numpy as np

from jsonable import jsonable
from gymnasium.envs.mujoco import humanoid_v5

ENV_IDS = ["Humanoid-v5", "Pusher-v5"]
RESET_SEED = 0
MAX_STEPS = 200

ACTION_FORMULA = (
    "k = (37*t + 11*j) % 101 (integers); a_t[j] = low_j + (high_j - low_j) * (k / 100) in float64; "
    "low/high = action_space.low/high as float64; t = step index from 0, j = actuator index. Passed to "
    "env.step as a float64 numpy array (no clipping by the env; MuJoCo clamps ctrl to ctrlrange, ctrl "
    "costs use the raw action)."
)
REPLAY = (
    "for step t: mj_setState(m, d, state0 if t == 0 else states[t-1], mjSTATE_INTEGRATION); mj_forward; "
    "for Humanoid-v5 the mass centre the step reads as 'before' is mass_center0 / mass_center[t-1] "
    "(the (x, y) of sum(body_mass * xipos) / sum(body_mass) seen by the previous step, which lags qpos by "
    "one substep, so it is not what mj_forward recomputes); env.step(actions[t]). With mujoco 3.14.0 this "
    "reproduces every recorded field bit for bit (checked by this script after recording)."
)


def action_at(t, low, high):
    j = np.arange(low.shape[0])
    k = (37 * t + 11 * j) % 101
    return low + (high - low) * (k / 100.0)


def state_of(m, d):
    spec = mujoco.mjtState.mjSTATE_INTEGRATION
    out = np.empty(mujoco.mj_stateSize(m, spec))
    mujoco.mj_getState(m, d, out, spec)
    return out


def state_layout(m):
    """[name, offset, size] of each non-empty component of mjSTATE_INTEGRATION, in bit order."""
    layout, offset = [], 0
    integration = int(mujoco.mjtState.mjSTATE_INTEGRATION)
    for name, member in mujoco.mjtState.__members__.items():
        bit = int(member)
        if bit == 0 or bit & (bit - 1) or not bit & integration:
            continue
        size = mujoco.mj_stateSize(m, bit)
        if size:
            layout.append([name, offset, size])
            offset += size
    return layout


def numeric_info(info):
    """Every numeric entry (numbers and numeric arrays) of a step's info dict."""
    out = {}
    for key, value in info.items():
        arr = np.asarray(value)
        if arr.dtype.kind in "biuf":
            out[key] = jsonable(arr.astype(np.float64).tolist())
    return out


def blas_dot_kind():
    """How numpy's BLAS sums a short dot product (np.linalg.norm uses it): 'sequential' or 'fma'.

    OpenBLAS picks a kernel per CPU (Haswell: x0*x0 + x1*x1 + ..., SkylakeX: a chain of fused
    multiply-adds), so norms, e.g. Reacher's and Pusher's distances, can differ in the last bit
    between machines. OPENBLAS_CORETYPE=Haswell or SkylakeX selects one."""
    from fractions import Fraction

    rng = np.random.default_rng(0)
    seq = fma = 0
    for _ in range(200):
        x = rng.uniform(-1, 1, 3)
        got = float(np.dot(x, x))
        seq += got == float(x[0] * x[0] + x[1] * x[1] + x[2] * x[2])
        acc = float(x[0] * x[0])
        for v in x[1:]:
            acc = float(Fraction(float(v)) * Fraction(float(v)) + Fraction(acc))
        fma += got == acc
    return "sequential" if seq == 200 else "fma" if fma == 200 else "other"


def mass_centre(env):
    u = env.unwrapped
    return humanoid_v5.mass_center(u.model, u.data)


ENV_PARAMS = {
    "InvertedPendulum-v5": ["_reset_noise_scale"],
    "InvertedDoublePendulum-v5": ["_healthy_reward", "_reset_noise_scale"],
    "Reacher-v5": ["_reward_dist_weight", "_reward_control_weight"],
    "Humanoid-v5": [
        "_forward_reward_weight", "_ctrl_cost_weight", "_contact_cost_weight", "_contact_cost_range",
        "_healthy_reward", "_terminate_when_unhealthy", "_healthy_z_range", "_reset_noise_scale",
        "_exclude_current_positions_from_observation", "_include_cinert_in_observation",
        "_include_cvel_in_observation", "_include_qfrc_actuator_in_observation",
        "_include_cfrc_ext_in_observation",
    ],
    "Pusher-v5": ["_reward_near_weight", "_reward_dist_weight", "_reward_control_weight"],
}


def constants(env_id, env):
    u = env.unwrapped
    m = u.model
    xml_path = u.fullpath
    with open(xml_path, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    params = {name.lstrip("_"): jsonable(getattr(u, name)) for name in ENV_PARAMS[env_id]}
    return {
        "xml_file": os.path.basename(xml_path),
        "xml_sha256": sha,
        "frame_skip": u.frame_skip,
        "dt": u.dt,
        "timestep": m.opt.timestep,
        "integrator": int(m.opt.integrator),
        "integrator_name": mujoco.mjtIntegrator(m.opt.integrator).name,
        "nq": m.nq,
        "nv": m.nv,
        "nu": m.nu,
        "na": m.na,
        "nbody": m.nbody,
        "obs_dim": int(env.observation_space.shape[0]),
        "action_low": jsonable(env.action_space.low.astype(np.float64)),
        "action_high": jsonable(env.action_space.high.astype(np.float64)),
        "max_episode_steps": env.spec.max_episode_steps,
        # copied before reset: Pusher's reset writes into init_qpos (it aliases qpos)
        "init_qpos": jsonable(u.init_qpos.copy()),
        "init_qvel": jsonable(u.init_qvel.copy()),
        "env_params": params,
        "state_size": int(mujoco.mj_stateSize(m, mujoco.mjtState.mjSTATE_INTEGRATION)),
        "state_layout": state_layout(m),
    }


def record(env_id, kwargs=None, max_steps=MAX_STEPS):
    env = gym.make(env_id, **(kwargs or {}))
    entry = constants(env_id, env)
    u = env.unwrapped
    low = env.action_space.low.astype(np.float64)
    high = env.action_space.high.astype(np.float64)
    humanoid = env_id == "Humanoid-v5"

    obs0, reset_info = env.reset(seed=RESET_SEED)
    traj = {
        "reset_seed": RESET_SEED,
        "obs0": jsonable(obs0),
        "qpos0": jsonable(u.data.qpos.copy()),
        "qvel0": jsonable(u.data.qvel.copy()),
        "state0": jsonable(state_of(u.model, u.data)),
        "reset_info": numeric_info(reset_info),
    }
    if humanoid:
        traj["mass_center0"] = jsonable(mass_centre(env))
    cols = {k: [] for k in ["actions", "obs", "rewards", "terminated", "truncated", "qpos", "qvel", "states"]}
    if humanoid:
        cols["mass_center"] = []
    info_cols = {}
    end = "max_steps"
    for t in range(max_steps):
        a = action_at(t, low, high)
        obs, reward, terminated, truncated, info = env.step(a)
        cols["actions"].append(jsonable(a))
        cols["obs"].append(jsonable(obs))
        cols["rewards"].append(jsonable(float(reward)))
        cols["terminated"].append(bool(terminated))
        cols["truncated"].append(bool(truncated))
        cols["qpos"].append(jsonable(u.data.qpos.copy()))
        cols["qvel"].append(jsonable(u.data.qvel.copy()))
        cols["states"].append(jsonable(state_of(u.model, u.data)))
        if humanoid:
            cols["mass_center"].append(jsonable(mass_centre(env)))
        for key, value in numeric_info(info).items():
            info_cols.setdefault(key, []).append(value)
        if terminated or truncated:
            end = "terminated" if terminated else "truncated"
            break
    traj.update(cols)
    traj["info"] = info_cols
    traj["n_steps"] = len(cols["actions"])
    traj["end"] = end
    entry["trajectories"] = [traj]
    env.close()
    return entry


def same(a, b):
    """Bit-for-bit equality of recorded JSON values (NaN never appears in these trajectories)."""
    return json.dumps(a) == json.dumps(b)


def verify(env_id, entry, kwargs=None):
    """Replay each step from the recorded state (REPLAY) and compare every recorded field."""
    env = gym.make(env_id, **(kwargs or {}))
    env.reset(seed=RESET_SEED)
    u = env.unwrapped
    traj = entry["trajectories"][0]
    spec = mujoco.mjtState.mjSTATE_INTEGRATION
    humanoid = env_id == "Humanoid-v5"
    original_mass_center = humanoid_v5.mass_center
    mismatches = []
    try:
        for t in range(traj["n_steps"]):
            state = traj["state0"] if t == 0 else traj["states"][t - 1]
            mujoco.mj_setState(u.model, u.data, np.asarray(state, dtype=np.float64), spec)
            mujoco.mj_forward(u.model, u.data)
            if humanoid:
                before = np.asarray(traj["mass_center0"] if t == 0 else traj["mass_center"][t - 1])
                calls = []

                def patched(model, data, _before=before, _calls=calls):
                    _calls.append(1)
                    if len(_calls) == 1:
                        return _before.copy()
                    return original_mass_center(model, data)

                humanoid_v5.mass_center = patched
            # the TimeLimit wrapper counts steps; set it so truncation is reproduced too
            env._elapsed_steps = t
            obs, reward, terminated, truncated, info = env.step(np.asarray(traj["actions"][t]))
            humanoid_v5.mass_center = original_mass_center
            got = {
                "obs": jsonable(obs),
                "rewards": jsonable(float(reward)),
                "terminated": bool(terminated),
                "truncated": bool(truncated),
                "qpos": jsonable(u.data.qpos.copy()),
                "qvel": jsonable(u.data.qvel.copy()),
                "states": jsonable(state_of(u.model, u.data)),
            }
            if humanoid:
                got["mass_center"] = jsonable(mass_centre(env))
            for key, value in got.items():
                if not same(value, traj[key][t]):
                    mismatches.append((t, key))
            for key, value in numeric_info(info).items():
                if not same(value, traj["info"][key][t]):
                    mismatches.append((t, "info." + key))
    finally:
        humanoid_v5.mass_center = original_mass_center
        env.close()
    if mismatches:
        raise SystemExit(f"{env_id}: replay differs at {mismatches[:10]} ({len(mismatches)} in all)")
    print(f"{env_id}: {traj['n_steps']} steps ({traj['end']}), replay bit for bit")


# Short trajectories with non-default constructor arguments: [id, Gymnasium kwargs, the same as
# this package's camelCase envOptions]. They check that every option means what Gymnasium's does.
OPTION_CASES = [
    ["InvertedPendulum-v5", {"frame_skip": 3}, {"frameSkip": 3}],
    ["InvertedDoublePendulum-v5", {"frame_skip": 2, "healthy_reward": 4.5}, {"frameSkip": 2, "healthyReward": 4.5}],
    ["Reacher-v5", {"frame_skip": 4, "reward_dist_weight": 2.5, "reward_control_weight": 0.3},
     {"frameSkip": 4, "rewardDistWeight": 2.5, "rewardControlWeight": 0.3}],
    ["Pusher-v5", {"frame_skip": 3, "reward_near_weight": 1.5, "reward_dist_weight": 2.0, "reward_control_weight": 0.7},
     {"frameSkip": 3, "rewardNearWeight": 1.5, "rewardDistWeight": 2.0, "rewardControlWeight": 0.7}],
    ["Humanoid-v5",
     {"forward_reward_weight": 2.0, "ctrl_cost_weight": 0.3, "contact_cost_weight": 2e-5, "contact_cost_range": (0.0, 0.05),
      "healthy_reward": 1.5, "terminate_when_unhealthy": False, "healthy_z_range": (1.37, 2.0),
      "exclude_current_positions_from_observation": False, "include_cinert_in_observation": False,
      "include_cvel_in_observation": False},
     {"forwardRewardWeight": 2.0, "ctrlCostWeight": 0.3, "contactCostWeight": 2e-5, "contactCostRange": [0.0, 0.05],
      "healthyReward": 1.5, "terminateWhenUnhealthy": False, "healthyZRange": [1.37, 2.0],
      "excludeCurrentPositionsFromObservation": False, "includeCinertInObservation": False,
      "includeCvelInObservation": False}],
    ["Humanoid-v5", {"include_qfrc_actuator_in_observation": False, "include_cfrc_ext_in_observation": False, "reset_noise_scale": 0.05, "frame_skip": 3},
     {"includeQfrcActuatorInObservation": False, "includeCfrcExtInObservation": False, "resetNoiseScale": 0.05, "frameSkip": 3}],
]
OPTION_STEPS = 15


def record_option_trajectories(path):
    cases = []
    for env_id, kwargs, env_options in OPTION_CASES:
        entry = record(env_id, kwargs, OPTION_STEPS)
        verify(env_id, entry, kwargs)
        cases.append({"id": env_id, "gym_kwargs": jsonable(kwargs), "env_options": env_options, **entry})
    doc = {
        "generator": "scripts/record-mujoco-trajectories.py (gymnasium %s, mujoco %s)" % (gym.__version__, mujoco.__version__),
        "about": "short trajectories (reset seed 0, at most %d steps, the action formula and replay protocol of "
        "mujoco-v5-humanoid-pusher-trajectories.json) made with non-default constructor arguments; env_options is "
        "the same configuration in this package's camelCase" % OPTION_STEPS,
        "cases": cases,
    }
    with open(path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", os.path.relpath(path), os.path.getsize(path), "bytes")


def record_float_reference(path):
    """Reference values for the float helpers' tests: correctly rounded sin/cos (mpmath, 200 bits)
    and BLAS-style fused multiply-add dot products (exact rationals, rounded once per step)."""
    from fractions import Fraction

    import mpmath

    mpmath.mp.prec = 200
    rng = np.random.default_rng(2026)
    xs = np.concatenate([rng.uniform(-4, 4, 300), rng.uniform(-60, 60, 100), rng.standard_normal(50) * 1e-4])
    trig = [[float(x), float(mpmath.sin(mpmath.mpf(float(x)))), float(mpmath.cos(mpmath.mpf(float(x))))] for x in xs]
    dots = []
    for n in [2, 3] * 200:
        v = (rng.uniform(-1, 1, n) * 10.0 ** rng.uniform(-3, 2)).tolist()
        acc = v[0] * v[0]
        for x in v[1:]:
            acc = float(Fraction(x) * Fraction(x) + Fraction(acc))
        dots.append([v, acc])
    doc = {
        "generator": "scripts/record-mujoco-trajectories.py (mpmath %s, exact fractions)" % mpmath.__version__,
        "trig": "[x, sin(x), cos(x)] correctly rounded to float64",
        "fma_dot": "[v, d]: d = v0*v0, then d = fma(vi, vi, d) rounded once per step (OpenBLAS SkylakeX dot)",
        "trig_values": trig,
        "fma_dot_values": dots,
    }
    with open(path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", os.path.relpath(path), os.path.getsize(path), "bytes")


def main():
    if blas_dot_kind() != "fma":
        raise SystemExit("numpy's BLAS does not sum dot products with fused multiply-adds here; "
                         "run with OPENBLAS_CORETYPE=SkylakeX (see the docstring)")
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        here, "..", "test", "fixtures", "mujoco-v5-humanoid-pusher-trajectories.json")
    envs = {}
    for env_id in ENV_IDS:
        envs[env_id] = record(env_id)
        verify(env_id, envs[env_id])
    doc = {
        "generator": "recorded in Python (gymnasium %s, mujoco %s) by scripts/record-mujoco-trajectories.py"
        % (gym.__version__, mujoco.__version__),
        "versions": {
            "gymnasium": gym.__version__,
            "mujoco": mujoco.__version__,
            "mujoco_engine": mujoco.mj_versionString(),
            "numpy": np.__version__,
            "python": platform.python_version(),
            "machine": platform.machine(),
            "blas_dot": blas_dot_kind(),
        },
        "max_steps_per_trajectory": MAX_STEPS,
        "reset_seeds": [RESET_SEED],
        "action_formula": ACTION_FORMULA,
        "state_spec": "mjSTATE_INTEGRATION (= %d): mj_getState(model, data, state, mjSTATE_INTEGRATION); "
        "components concatenated in bit order, see each env's state_layout [name, offset, size]"
        % int(mujoco.mjtState.mjSTATE_INTEGRATION),
        "fields": {
            "obs0/qpos0/qvel0/state0/reset_info": "after env.reset(seed=reset_seed) (mj_resetData, qpos0+noise, mj_forward)",
            "actions[t]": "action passed to step t",
            "obs[t], rewards[t], terminated[t], truncated[t], info[key][t], qpos[t], qvel[t], states[t]": "after env.step(actions[t])",
            "info": "every numeric entry of the step info dict, column-wise; arrays (Humanoid's tendon_length, tendon_velocity) as lists",
            "mass_center0 / mass_center[t] (Humanoid-v5 only)": "(x, y) of sum(body_mass * xipos) / sum(body_mass) after reset / after step t; the next step's x_velocity/y_velocity = (after - before) / dt",
            "truncated": "from gym.make's TimeLimit (max_episode_steps; Pusher-v5: 100)",
        },
        "replay": REPLAY,
        "notes": [
            "reset(seed) noise comes from numpy PCG64 via env.np_random; use state0 to start a port's trajectory.",
            "Observations are float64. Humanoid's reset obs has zero cfrc_ext terms (mj_forward in reset does not run mj_rnePostConstraint).",
            "xipos/xpos/cfrc_ext read after a step come from inside the last mj_step, i.e. they lag qpos by one substep: that is why Humanoid's mass centre must be carried across a restore.",
            "np.linalg.norm (Pusher's distances, Humanoid's distance_from_origin) goes through numpy's BLAS dot; versions.blas_dot says how it summed ('fma': x0*x0, then fma(x1, x1, .), fma(x2, x2, .), OpenBLAS's SkylakeX kernel, as for the shared reference file). Another kernel (e.g. Haswell: x0*x0 + x1*x1 + x2*x2) changes such norms in the last bit.",
            "Pusher-v5's reset keeps the arm at qpos0 (no noise), samples the object by rejection and puts the goal at (0, 0); its trajectory ends at the 100-step time limit.",
        ],
        "subset": "reset seed 0 only (one trajectory per env); the full replay protocol is in \"replay\"",
        "envs": envs,
    }
    with open(out, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", os.path.relpath(out), os.path.getsize(out), "bytes")
    if len(sys.argv) <= 1:
        record_float_reference(os.path.join(here, "..", "test", "fixtures", "mujoco-float-reference.json"))
        record_option_trajectories(os.path.join(here, "..", "test", "fixtures", "mujoco-v5-option-trajectories.json"))


if __name__ == "__main__":
    main()
