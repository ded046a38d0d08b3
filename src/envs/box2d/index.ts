/** Gymnasium's Box2D envs on box2d-wasm (Box2D 2.4.1). */
export { Box2DEnv, type Box2DEnvState } from './box2d-env.js';
export { LunarLanderEnv, LUNAR_LANDER, windMagnitude, type LanderEngines, type LunarLanderOptions } from './lunar-lander.js';
export { BipedalWalkerEnv, BIPEDAL_WALKER, lidarDirection, type BipedalWalkerOptions } from './bipedal-walker.js';
export { generateBipedalTerrain, generateClouds, TERRAIN, type BipedalTerrain, type TerrainKind } from './bipedal-terrain.js';
export { boxCorners, toWorld, type BodyOutline, type Point } from './drawing.js';
