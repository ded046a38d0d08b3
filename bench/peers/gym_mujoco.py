"""Env steps/s of Python Gymnasium's MuJoCo v5 envs with random actions, as a peer of the
trpo-node MuJoCo benchmark (bench/mujoco.ts runs this script when gymnasium and mujoco import).

    python3 gym_mujoco.py <env ids, comma-separated> <env steps per env id> [num_envs]

Each env is a synchronous vector env of `num_envs` (default 2) copies (gymnasium.make_vec, mode
"sync", autoreset as Gymnasium's default), seeded 0. The actions are drawn uniformly from the
action space before timing (so the rate is the env's, not the generator's), the first fifth of the
steps is a warm-up, and the rate is the median of three timed segments, on wall time and on the
process's CPU time (which other tenants of a shared machine do not inflate). Prints one JSON object:
{"gymnasium", "mujoco", "python", "results": [{"env", "numEnvs", "stepsPerSecond", "stepsPerCpuSecond", "envSteps"}]}.
"""
import json
import platform
import sys
import time

import types

import gymnasium
import mujoco
import numpy as np

# Gymnasium's MuJoCo renderer imports imageio (gymnasium[mujoco] extra) only to save frames, which
# this benchmark never does; where it is not installed a placeholder module lets the envs load.
try:
    import imageio  # noqa: F401
    IMAGEIO_STUBBED = False
except ImportError:
    sys.modules["imageio"] = types.ModuleType("imageio")
    IMAGEIO_STUBBED = True


def rate(env_id: str, env_steps: int, num_envs: int) -> dict:
    envs = gymnasium.make_vec(env_id, num_envs=num_envs, vectorization_mode="sync")
    try:
        envs.reset(seed=0)
        rng = np.random.default_rng(0)
        space = envs.single_action_space
        vec_steps = max(10, env_steps // num_envs)
        segment = max(10, vec_steps // 3)
        warmup = max(10, vec_steps // 5)
        actions = rng.uniform(space.low, space.high, size=(warmup + 3 * segment, num_envs, space.shape[0]))
        k = 0
        for _ in range(warmup):
            envs.step(actions[k])
            k += 1
        rates = []
        cpu_rates = []
        for _ in range(3):
            t0 = time.perf_counter()
            c0 = time.process_time()
            for _ in range(segment):
                envs.step(actions[k])
                k += 1
            rates.append(segment * num_envs / (time.perf_counter() - t0))
            cpu_rates.append(segment * num_envs / max(time.process_time() - c0, 1e-9))
        return {"env": env_id, "numEnvs": num_envs, "stepsPerSecond": sorted(rates)[1], "stepsPerCpuSecond": sorted(cpu_rates)[1],
                "envSteps": 3 * segment * num_envs}
    finally:
        envs.close()


def main() -> None:
    env_ids = [e for e in sys.argv[1].split(",") if e]
    env_steps = int(sys.argv[2])
    num_envs = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    results = []
    for env_id in env_ids:
        try:
            results.append(rate(env_id, env_steps, num_envs))
        except Exception as e:  # one env failing (e.g. not registered) does not lose the others
            results.append({"env": env_id, "numEnvs": num_envs, "stepsPerSecond": None, "skipped": f"{type(e).__name__}: {e}"})
    print(json.dumps({
        "gymnasium": gymnasium.__version__, "mujoco": mujoco.__version__, "python": platform.python_version(),
        "imageioStubbed": IMAGEIO_STUBBED, "results": results,
    }))


if __name__ == "__main__":
    main()
