#!/usr/bin/env node
// The `trpo` command of trpo-node (compiled CLI in dist/; in the repository, npm run build:ts first,
// or run the sources with: npx tsx src/cli/index.ts).
import { main } from '../dist/cli/index.js';

process.exit(await main(process.argv.slice(2)));
