/**
 * Bad input gets a clear message naming the column or row, a non-zero exit code and no stack
 * trace. Small hand-made variants of lalonde.csv are written to a temporary folder.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { referencePath } from '../causal/testing/reference';
import { runInProcess, spawnCli } from './test-helpers';

const dir = mkdtempSync(path.join(tmpdir(), 'causeway-cli-'));
const lalonde = readFileSync(referencePath('lalonde', 'lalonde.csv'), 'utf8').trimEnd().split('\n');
const header = lalonde[0]!.replaceAll('"', '').split(',');
const rows = lalonde.slice(1).map((line) => line.split(','));
const col = (name: string): number => header.indexOf(name);

/** Writes lalonde with `edit` applied to each row's fields; returns the path. */
function variant(name: string, edit: (fields: string[], i: number) => void, head = lalonde[0]!): string {
  const file = path.join(dir, `${name}.csv`);
  const body = rows.map((r, i) => {
    const f = [...r];
    edit(f, i);
    return f.join(',');
  });
  writeFileSync(file, [head, ...body].join('\n') + '\n');
  return file;
}

const args = (file: string, covariates = 'age,educ,race,married,nodegree,re74,re75'): string[] => ['analyze', '--data', file, '--treatment', 'treat', '--outcome', 're78', '--covariates', covariates];

async function fails(argv: string[], message: string | RegExp, code = 1): Promise<string> {
  const run = await runInProcess(argv);
  expect(run.stdout).toBe('');
  expect(run.code).toBe(code);
  if (typeof message === 'string') expect(run.stderr).toContain(message);
  else expect(run.stderr).toMatch(message);
  return run.stderr;
}

describe('bad input: data problems (exit code 1, message names the column or row)', () => {
  it('treatment not 0/1', async () => {
    const file = variant('treat2', (f, i) => i === 9 && (f[col('treat')] = '2'));
    await fails(args(file), 'The treatment column "treat" must be 0 or 1, but data row 10 is 2.');
  });

  it('treatment as text', async () => {
    const file = variant('treat-text', (f) => (f[col('treat')] = f[col('treat')] === '1' ? 'yes' : 'no'));
    await fails(args(file), 'The treatment column "treat" must be coded 0 (control) / 1 (treated), but it holds text ("no", "yes")');
  });

  it('no treated units, no control units', async () => {
    await fails(args(variant('no-treated', (f) => (f[col('treat')] = '0'))), 'No treated units: the treatment column "treat" is never 1');
    await fails(args(variant('no-controls', (f) => (f[col('treat')] = '1'))), 'No control units: the treatment column "treat" is never 0');
  });

  it('constant and all-missing covariates', async () => {
    await fails(args(variant('constant', (f) => (f[col('educ')] = '12'))), 'The covariate "educ" is constant (12 in every row with a value)');
    await fails(args(variant('all-missing', (f) => (f[col('educ')] = 'NA'))), 'The covariate "educ" is missing in every row.');
  });

  it('non-numeric values in a numeric column', async () => {
    const file = variant('non-numeric', (f, i) => i === 41 && (f[col('re74')] = 'unknown'));
    await fails(args(file), 'Column "re74" is numeric but data row 42 holds "unknown"');
  });

  it('missing values: row count and columns, and --complete-cases drops them with a warning', async () => {
    const file = variant('missing', (f, i) => {
      if (i === 4 || i === 7) f[col('age')] = 'NA';
      if (i === 7 || i === 300) f[col('re75')] = '';
    });
    await fails(args(file), '3 of 614 rows have missing values: "age" (2 rows, first: data row 5), "re75" (2 rows, first: data row 8). Rerun with --impute m=20 to impute them');
    const run = await runInProcess([...args(file), '--complete-cases', '--json', '--emit-matches']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { n: { used: number; rows: number }; warnings: string[]; matches: [number, number, number][] };
    expect(out.n).toMatchObject({ rows: 614, used: 611 });
    expect(out.warnings[0]).toContain('3 of 614 rows have missing values');
    // Pairs refer to rows of the input file, skipping the dropped ones.
    const used = new Set(out.matches.flatMap(([t, c]) => [t, c]));
    expect(used.has(4) || used.has(7) || used.has(300)).toBe(false);
  });

  it('no overlap: nothing within the caliper', async () => {
    // Treated units get a covariate value far beyond every control's, so their scores separate.
    const file = variant('no-overlap', (f) => (f[col('age')] = f[col('treat')] === '1' ? '90' : '20'));
    await fails([...args(file, 'age,educ'), '--caliper', '0.01'], /No overlap: no treated unit has a control within the caliper \(width [0-9.e-]+ on the probability scale\)/);
  });

  it('unknown column', async () => {
    await fails(args(referencePath('lalonde', 'lalonde.csv'), 'age,income'), 'The covariate column "income" is not in the data. Columns are: index, name, treat');
  });

  it('malformed CSV: wrong field count and unterminated quote', async () => {
    const short = variant('short-row', (f, i) => i === 99 && f.pop());
    await fails(args(short), 'Malformed CSV: data row 100 (line 101) has 10 fields, expected 11 like the header.');
    // A stray quote mid-file swallows the following lines until the next quote, which then is
    // not followed by a delimiter: that is reported at the line where the confusion shows.
    const stray = variant('stray-quote', (f, i) => i === 199 && (f[col('name')] = '"PSID'));
    await fails(args(stray), 'Malformed CSV: line 201 (data row 200), field 2: unexpected character after a closing quote');
    const quote = variant('quote', (f, i) => i === rows.length - 1 && (f[col('re78')] = '"1234'));
    await fails(args(quote), 'Malformed CSV: unterminated quote in line 615 (data row 614), field 11: a field opens with " and never closes.');
  });

  it('a missing file', async () => {
    await fails(args(path.join(dir, 'nope.csv')), /Cannot read the data file ".*nope\.csv": no such file/);
  });
});

describe('bad input: usage (exit code 2)', () => {
  it('missing and invalid flags', async () => {
    await fails(['analyze', '--data', 'x.csv', '--outcome', 'y', '--covariates', 'a'], '--treatment is required.', 2);
    await fails([...args('x.csv'), '--ratio', '1.5'], '--ratio must be a whole number ≥ 1; got "1.5".', 2);
    await fails([...args('x.csv'), '--se', 'ai'], '--se ai (Abadie–Imbens) is for matching with replacement', 2);
    await fails([...args('x.csv'), '--link', 'probit'], '--link must be one of logit, linear.logit; got "probit".', 2);
    await fails([...args('x.csv'), '--bogus'], "Unknown option '--bogus'", 2);
  });

  it('--help prints the usage', async () => {
    const run = await runInProcess(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('npx causeway analyze --data FILE.csv');
  });
});

describe('bad input as a subprocess: stderr message, non-zero exit, no stack trace', () => {
  it('treatment not 0/1 and a usage error', async () => {
    const file = variant('treat2-sub', (f, i) => i === 0 && (f[col('treat')] = '3'));
    const [data, usage] = await Promise.all([spawnCli([...args(file), '--json']), spawnCli(['analyze'])]);
    expect(data.code).toBe(1);
    expect(data.stdout).toBe('');
    expect(data.stderr).toBe('causeway: The treatment column "treat" must be 0 or 1, but data row 1 is 3.\n');
    expect(usage.code).toBe(2);
    expect(usage.stderr).not.toMatch(/\n\s+at /);
  });
});
