// Copy the MuJoCo models (src/envs/mujoco/models/*.xml) next to the compiled modules in dist/,
// where src/envs/mujoco/models.ts reads them at run time. Part of `npm run build:ts`.
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const from = join(root, 'src', 'envs', 'mujoco', 'models');
const to = join(root, 'dist', 'envs', 'mujoco', 'models');
mkdirSync(to, { recursive: true });
const files = readdirSync(from).filter((f) => f.endsWith('.xml'));
for (const f of files) cpSync(join(from, f), join(to, f));
console.log(`copy-mjcf: ${files.length} MJCF files -> dist/envs/mujoco/models`);
