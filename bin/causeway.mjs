#!/usr/bin/env node
// Runs the TypeScript CLI (workers/cli/main.ts) through tsx's ESM loader, so `npx causeway …`
// works from the repository without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../workers/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
