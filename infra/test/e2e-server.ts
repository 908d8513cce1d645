/** Starts the product for Playwright exactly as `npm start` does, on a wiped data folder. */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDataDir } from '../../db/embedded';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
rmSync(defaultDataDir(root), { recursive: true, force: true });
await import('../local/start');
