/**
 * End-to-end tests of `causeway analyze`: the CLI runs as a subprocess on the reference data
 * and its JSON is compared with MatchIt 4.7.2's outputs (reference/lalonde/matchit-4.7.2,
 * tolerances of the reference README: ATT and SE 1e-6 relative, balance 1e-8 relative).
 */
import { describe, expect, it } from 'vitest';
import { num, readReferenceCsv, referencePath } from '../causal/testing/reference';
import { spawnCli } from './test-helpers';

const LALONDE = referencePath('lalonde', 'lalonde.csv');
const COVARIATES = 'age,educ,race,married,nodegree,re74,re75';
const base = ['analyze', '--data', LALONDE, '--treatment', 'treat', '--outcome', 're78', '--covariates', COVARIATES, '--json'];

interface Json {
  estimate: number;
  se: number;
  seType: string;
  ci95: [number, number];
  n: { treated: number; control: number; matchedTreated: number; matchedControl: number };
  caliperWidth: number | null;
  gComputation: { estimate: number; se: number } | null;
  balance: { covariate: string; smdBefore: number; smdAfter: number; varianceRatioBefore: number | null; varianceRatioAfter: number | null; ecdfMeanAfter: number; ecdfMaxAfter: number }[];
  warnings: string[];
  engineVersion: string;
  timingsMs: Record<string, number>;
  matches?: [number, number, number][];
}

const effects = (config: string): Record<string, string> => readReferenceCsv('lalonde', 'matchit-4.7.2', 'all_effects.csv').find((r) => r.config === config)!;

function expectRel(actual: number, expected: number, tol: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.abs(expected) + 1e-12);
}

async function runJson(args: string[]): Promise<Json> {
  const run = await spawnCli(args);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Json;
}

function checkBalance(out: Json, config: string): void {
  const rows = readReferenceCsv('lalonde', 'matchit-4.7.2', `${config}_balance.csv`);
  const ref = (stage: string, variable: string): Record<string, string> => rows.find((r) => r.stage === stage && r.variable === variable)!;
  expect(out.balance.map((b) => b.covariate)).toEqual(rows.filter((r) => r.stage === 'after' && r.variable !== 'distance').map((r) => r.variable));
  for (const b of out.balance) {
    const before = ref('before', b.covariate);
    const after = ref('after', b.covariate);
    expectRel(b.smdBefore, num(before['Std. Mean Diff.']), 1e-8);
    expectRel(b.smdAfter, num(after['Std. Mean Diff.']), 1e-8);
    expectRel(b.ecdfMeanAfter, num(after['eCDF Mean']), 1e-8);
    expectRel(b.ecdfMaxAfter, num(after['eCDF Max']), 1e-8);
    const vr = num(after['Var. Ratio']);
    if (Number.isNaN(vr)) expect(b.varianceRatioAfter).toBeNull();
    else {
      expectRel(b.varianceRatioAfter!, vr, 1e-8);
      expectRel(b.varianceRatioBefore!, num(before['Var. Ratio']), 1e-8);
    }
  }
}

describe('causeway analyze on lalonde (MatchIt 4.7.2 fixtures)', () => {
  it('m1 defaults: 1:1 on the probability, cluster SE, g-computation, balance and the pairs', async () => {
    const out = await runJson([...base, '--emit-matches']);
    const ref = effects('m1');
    expectRel(out.estimate, 894.3675, 1e-6);
    expectRel(out.se, 705.2298, 1e-6);
    expectRel(out.estimate, num(ref.att_lm), 1e-6);
    expectRel(out.se, num(ref.se_lm), 1e-6);
    expectRel(out.gComputation!.estimate, num(ref.att_gcomp), 1e-6);
    expectRel(out.gComputation!.se, num(ref.se_gcomp), 1e-6);
    expect(out.n).toMatchObject({ treated: 185, control: 429, matchedTreated: 185, matchedControl: 185 });
    expect(out.caliperWidth).toBeNull();
    checkBalance(out, 'm1');
    const pairs = readReferenceCsv('lalonde', 'matchit-4.7.2', 'm1_match_matrix.csv').map((r) => [num(r.treated_index) - 1, num(r.control1_index) - 1, 1]);
    expect(out.matches).toEqual(pairs);
    expect(Object.keys(out.timingsMs)).toEqual(expect.arrayContaining(['read', 'propensity', 'match', 'estimate', 'balance', 'total']));
  });

  it('m2: logit with caliper 0.2 gives 117 pairs', async () => {
    const out = await runJson([...base, '--link', 'linear.logit', '--caliper', '0.2']);
    const ref = effects('m2');
    expect(out.n.matchedTreated).toBe(117);
    expect(out.n.matchedControl).toBe(117);
    expectRel(out.estimate, 1770.6029, 1e-6);
    expectRel(out.se, 924.2343, 1e-6);
    expectRel(out.se, num(ref.se_lm), 1e-6);
    expectRel(out.caliperWidth!, num(ref.caliper_raw), 1e-9);
    expectRel(out.gComputation!.estimate, num(ref.att_gcomp), 1e-6);
    checkBalance(out, 'm2');
    expect(out.warnings.join(' ')).toContain('68 of 185 treated units found no match within the caliper');
  });

  it('m3 (ratio 2) and m4 (with replacement, HC3)', async () => {
    const [m3, m4] = await Promise.all([runJson([...base, '--link', 'linear.logit', '--caliper', '0.2', '--ratio', '2']), runJson([...base, '--replace'])]);
    const r3 = effects('m3');
    expect(m3.n.matchedControl).toBe(num(r3.n_control_matched));
    expectRel(m3.estimate, num(r3.att_lm), 1e-6);
    expectRel(m3.se, num(r3.se_lm), 1e-6);
    const r4 = effects('m4');
    expect(m4.n.matchedControl).toBe(82);
    expectRel(m4.estimate, num(r4.att_lm), 1e-6);
    expectRel(m4.se, num(r4.se_lm), 1e-6);
    expect(m4.seType).toContain('HC3');
    checkBalance(m4, 'm4');
  });

  it('m5: exact on married, Mahalanobis on age, educ, re74, re75 within the logit caliper', async () => {
    const out = await runJson([...base, '--link', 'linear.logit', '--caliper', '0.2', '--exact', 'married', '--mahalanobis', 'age,educ,re74,re75']);
    const ref = effects('m5');
    expect(out.n.matchedTreated).toBe(num(ref.n_treated_matched));
    expectRel(out.estimate, num(ref.att_lm), 1e-6);
    expectRel(out.se, num(ref.se_lm), 1e-6);
    expectRel(out.gComputation!.estimate, num(ref.att_gcomp), 1e-6);
    checkBalance(out, 'm5');
  });

  it('the same seed gives byte-identical JSON; another seed changes the bootstrap', async () => {
    const args = [...base, '--replace', '--se', 'bootstrap', '--bootstrap-replicates', '49', '--no-timings', '--seed'];
    const [a, b, c] = await Promise.all([spawnCli([...args, '7']), spawnCli([...args, '7']), spawnCli([...args, '8'])]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).not.toBe(c.stdout);
    const out = JSON.parse(a.stdout) as Json;
    expect(out.timingsMs).toEqual({});
    expectRel(out.estimate, num(effects('m4').att_lm), 1e-6);
    // A full re-run bootstrap SE should be of the order of the HC3 SE (943), not 0 or 10×.
    expect(out.se).toBeGreaterThan(400);
    expect(out.se).toBeLessThan(2500);
  });

  it('prints a readable table without --json', async () => {
    const run = await spawnCli(base.filter((a) => a !== '--json'));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Estimate   894.3675');
    expect(run.stdout).toContain('SE         705.2298');
    expect(run.stdout).toMatch(/racewhite\s+-1\.882/);
  });
});

describe('causeway analyze on synth_10k (true ATT 2.0)', () => {
  it('logit caliper matching recovers the effect and agrees with MatchIt nn_cal', async () => {
    const out = await runJson(['analyze', '--data', referencePath('synthetic', 'synth_10k.csv'), '--treatment', 'treat', '--outcome', 'y', '--covariates', Array.from({ length: 20 }, (_, j) => `x${j + 1}`).join(','), '--link', 'linear.logit', '--caliper', '0.2', '--json']);
    expect(Math.abs(out.estimate - 2)).toBeLessThan(3 * out.se);
    expect(out.n.matchedTreated).toBe(3101);
    expectRel(out.estimate, 2.02090252778288, 1e-6);
    expectRel(out.se, 0.0259352642902836, 1e-6);
  });
});
