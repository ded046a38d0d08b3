/**
 * Records a MuJoCo env's geom poses frame by frame for the report's replay (see mujoco-scene.ts),
 * from the env's public engine handles: `env.unwrapped.simulation.mjModel / .mjData`.
 */
import type { AnyEnv } from '../envs/env.js';
import { Wrapper } from '../envs/wrappers/wrapper.js';
import { MUJOCO_VIEWS, poseFrame, sceneOf, type GeomDataFields, type GeomModelFields, type MujocoScene } from './mujoco-scene.js';

interface EngineHandles {
  mjModel: GeomModelFields;
  mjData: GeomDataFields;
}

/** The MjModel/MjData of a MuJoCo env (through its wrappers), or null for other envs. */
export function engineHandles(env: AnyEnv): EngineHandles | null {
  const inner = env instanceof Wrapper ? env.unwrapped : env;
  const sim = (inner as { simulation?: Partial<EngineHandles> }).simulation;
  if (!sim || typeof sim !== 'object' || !sim.mjModel || !sim.mjData) return null;
  return sim as EngineHandles;
}

/** Whether the report draws `envId` from geom poses. */
export function isMujocoReplay(envId: string): boolean {
  return Object.hasOwn(MUJOCO_VIEWS, envId);
}

/** Collects the scene once and one pose frame per `capture()` (after reset and after each step). */
export class GeomPoseRecorder {
  readonly scene: MujocoScene;
  readonly frames: number[][] = [];
  private readonly handles: EngineHandles;

  constructor(env: AnyEnv, envId: string) {
    const handles = engineHandles(env);
    const view = MUJOCO_VIEWS[envId];
    if (!handles || !view) throw new TypeError(`GeomPoseRecorder: ${envId} is not a MuJoCo env with a replay view (known: ${Object.keys(MUJOCO_VIEWS).join(', ')})`);
    this.handles = handles;
    this.scene = sceneOf(handles.mjModel, view.view, view.track);
  }

  capture(): void {
    this.frames.push(poseFrame(this.handles.mjModel, this.handles.mjData));
  }
}
