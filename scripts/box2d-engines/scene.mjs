// Shared scene facts (Gymnasium LunarLander / BipedalWalker constants) and a tiny RNG.
export const S = 30;
export function rng(seed) { let x = seed >>> 0; return () => { x = (x + 0x9e3779b9) >>> 0; let z = x; z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0; z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0; return ((z ^ (z >>> 16)) >>> 0) / 4294967296; }; }
export const LANDER_POLY = [[-14, 17], [-17, 0], [-17, -10], [17, -10], [17, 0], [14, 17]].map(([x, y]) => [x / S, y / S]);
export const HULL_POLY = [[-30, 9], [6, 9], [34, 1], [34, -8], [-30, -8]].map(([x, y]) => [x / S, y / S]);
export function landerTerrain(r) { const W = 20, H = 400 / S, C = 11; const h = Array.from({ length: C + 1 }, () => r() * H / 2); const xs = Array.from({ length: C }, (_, i) => W / (C - 1) * i); for (let k = -2; k <= 2; k++) h[5 + k] = H / 4; const sy = xs.map((_, i) => 0.33 * (h.at(i - 1) + h[i] + h[i + 1])); return xs.slice(0, -1).map((x, i) => [[x, sy[i]], [xs[i + 1], sy[i + 1]]]); }
export function walkerTerrain(r) { const step = 14 / S, H0 = 400 / S / 4; let y = H0, v = 0; const pts = []; for (let i = 0; i < 200; i++) { v = 0.8 * v + 0.01 * Math.sign(H0 - y); if (i > 20) v += (r() * 2 - 1) / S; y += v; pts.push([i * step, y]); } return pts.slice(0, -1).map((p, i) => [p, pts[i + 1]]); }
/** Steps/s by wall clock and by the process's CPU time (less sensitive to other load on the machine). */
export function time(name, fn, steps) { fn(2000); const c0 = process.cpuUsage(); const t0 = process.hrtime.bigint(); fn(steps); const dt = Number(process.hrtime.bigint() - t0) / 1e9; const c = process.cpuUsage(c0); const cpu = (c.user + c.system) / 1e6; console.log(`${name}: ${Math.round(steps / dt)} steps/s wall, ${Math.round(steps / cpu)} steps/s CPU`); }
