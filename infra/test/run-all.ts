/**
 * `npm test`: every check in order — lint, typecheck, unit tests, integration tests (real
 * PostgreSQL and graphile-worker), end-to-end tests (the product as `npm start` runs it, in
 * Debian's chromium). Every stage runs even when an earlier one failed, so one run shows all
 * problems. The last line is the total: "N passed, M failed, K skipped".
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const results = path.join(root, 'test-results');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

interface Stage {
  name: string;
  command: string[];
  /** Reads the runner's report; a stage without one counts as one check. */
  counts?: () => Counts;
}

function vitestCounts(file: string): () => Counts {
  return () => {
    const report = JSON.parse(readFileSync(file, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
    return { passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests + report.numTodoTests };
  };
}

function playwrightCounts(file: string): () => Counts {
  return () => {
    const report = JSON.parse(readFileSync(file, 'utf8')) as { stats: { expected: number; unexpected: number; skipped: number; flaky: number } };
    return { passed: report.stats.expected + report.stats.flaky, failed: report.stats.unexpected, skipped: report.stats.skipped };
  };
}

const stages: Stage[] = [
  { name: 'lint', command: [bin('eslint'), '.', '--max-warnings', '0'] },
  { name: 'typecheck', command: [bin('tsc'), '--noEmit', '-p', 'tsconfig.json'] },
  {
    name: 'unit',
    command: [bin('vitest'), 'run', '--project', 'unit', '--reporter=default', '--reporter=json', `--outputFile=${results}/unit.json`],
    counts: vitestCounts(`${results}/unit.json`),
  },
  {
    name: 'integration',
    command: [bin('vitest'), 'run', '--project', 'integration', '--reporter=default', '--reporter=json', `--outputFile=${results}/integration.json`],
    counts: vitestCounts(`${results}/integration.json`),
  },
  { name: 'e2e', command: [bin('playwright'), 'test'], counts: playwrightCounts(`${results}/e2e.json`) },
];

const only = process.argv.slice(2);
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });
const total: Counts = { passed: 0, failed: 0, skipped: 0 };
const summary: string[] = [];

for (const stage of stages.filter((s) => only.length === 0 || only.includes(s.name))) {
  console.log(`\n=== ${stage.name} ===`);
  const started = Date.now();
  const run = spawnSync(stage.command[0]!, stage.command.slice(1), { cwd: root, stdio: 'inherit', env: process.env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  let counts: Counts = run.status === 0 ? { passed: 1, failed: 0, skipped: 0 } : { passed: 0, failed: 1, skipped: 0 };
  if (stage.counts) {
    try {
      counts = stage.counts();
      // A runner that crashed before reporting a failure still failed.
      if (run.status !== 0 && counts.failed === 0) counts = { ...counts, failed: 1 };
    } catch {
      counts = { passed: 0, failed: 1, skipped: 0 };
    }
  }
  total.passed += counts.passed;
  total.failed += counts.failed;
  total.skipped += counts.skipped;
  summary.push(`${stage.name.padEnd(12)} ${run.status === 0 ? 'ok  ' : 'FAIL'}  ${counts.passed} passed, ${counts.failed} failed  (${seconds} s)`);
}

console.log(`\n=== summary ===\n${summary.join('\n')}`);
console.log(`\n${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 ? 1 : 0);
