/** Entry point for `tsx workers/cli/causeway.ts …` (npm run causeway); bin/causeway.mjs imports ./main directly. */
import { main } from './main';

process.exitCode = await main(process.argv.slice(2));
