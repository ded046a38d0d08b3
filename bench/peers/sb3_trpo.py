"""End-to-end peer of the MuJoCo benchmark: sb3-contrib's TRPO learning a Gymnasium MuJoCo env with
RL-Zoo's settings, as RL-Zoo builds it (make_vec_env of n_envs DummyVecEnv copies seeded 0..,
VecNormalize with the algorithm's gamma), torch on 1 thread, on the CPU.

    python3 sb3_trpo.py <env id> <total timesteps> '<JSON: {"n_envs": 2, "hyperparams": {snake_case TRPO kwargs}}>'

bench/mujoco.ts passes the package's zooHyperparams entry converted to sb3-contrib's names. Prints one
JSON object: {"env", "totalTimesteps", "seconds", "cpuSeconds", "stepsPerSecond", "versions"}.
"""
import json
import sys
import time
import types

# Gymnasium's MuJoCo renderer imports imageio only to save frames (see gym_mujoco.py).
try:
    import imageio  # noqa: F401
except ImportError:
    sys.modules["imageio"] = types.ModuleType("imageio")

import gymnasium
import mujoco
import sb3_contrib
import stable_baselines3
import torch
from sb3_contrib import TRPO
from stable_baselines3.common.env_util import make_vec_env
from stable_baselines3.common.vec_env import VecNormalize


def main() -> None:
    env_id = sys.argv[1]
    total = int(sys.argv[2])
    config = json.loads(sys.argv[3])
    hyperparams = dict(config["hyperparams"])
    torch.set_num_threads(1)
    env = make_vec_env(env_id, n_envs=int(config["n_envs"]), seed=0)
    if config.get("normalize", True):
        env = VecNormalize(env, gamma=hyperparams.get("gamma", 0.99))
    model = TRPO("MlpPolicy", env, seed=0, device="cpu", verbose=0, **hyperparams)
    t0 = time.perf_counter()
    c0 = time.process_time()
    model.learn(total_timesteps=total)
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    env.close()
    print(json.dumps({
        "env": env_id, "totalTimesteps": int(model.num_timesteps), "seconds": seconds, "cpuSeconds": cpu,
        "stepsPerSecond": model.num_timesteps / seconds,
        "versions": {"sb3_contrib": sb3_contrib.__version__, "stable_baselines3": stable_baselines3.__version__,
                     "torch": torch.__version__, "gymnasium": gymnasium.__version__, "mujoco": mujoco.__version__},
    }))


if __name__ == "__main__":
    main()
