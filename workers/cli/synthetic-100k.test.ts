/**
 * Agreement with MatchIt 4.7.2 on synth_100k.csv.gz (reference/synthetic/matchit-4.7.2-results.json):
 * matched counts exactly; ATT and SE to 1e-6 relative; worst |SMD| over x1..x20 before and after
 * to 1e-6 relative. Reads the gzip file through the streaming reader.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../causal/pipeline/analyze';
import type { AnalyzeOptions } from '../causal/pipeline/options';
import { createRng } from '../causal/random/rng';
import { readReferenceJson, referencePath } from '../causal/testing/reference';
import { readCsvFile } from '../io/csv';

interface MatchItResult {
  label: string;
  spec: string;
  n_treated: number;
  n_matched_treated: number;
  n_matched_control: number;
  caliper_raw: number | null;
  att: number;
  se: number;
  max_abs_smd_before: number;
  max_abs_smd_after: number;
}

const SPECS: Record<string, Partial<AnalyzeOptions>> = {
  nn: {},
  nn_cal: { link: 'linear.logit', caliper: 0.2 },
  nn_cal01: { caliper: 0.1 },
  nn_repl: { replace: true },
};

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe('synth_100k.csv.gz against MatchIt 4.7.2', () => {
  it('nn, nn_cal, nn_cal01, nn_repl: counts, ATT, SE and worst |SMD|', async () => {
    const table = await readCsvFile(referencePath('synthetic', 'synth_100k.csv.gz'));
    expect(table.rows).toBe(100000);
    const results = readReferenceJson<MatchItResult[]>('synthetic', 'matchit-4.7.2-results.json').filter((r) => r.label === '100k');
    const covariates = Array.from({ length: 20 }, (_, j) => `x${j + 1}`);
    for (const [spec, extra] of Object.entries(SPECS)) {
      const ref = results.find((r) => r.spec === spec)!;
      const out = analyze(table, { treatment: 'treat', outcome: 'y', covariates, ...extra }, createRng(1));
      const worst = (k: 'smdBefore' | 'smdAfter'): number => Math.max(...out.balance.map((b) => Math.abs(b[k])));
      const got = { treated: out.n.treated, matchedTreated: out.n.matchedTreated, matchedControl: out.n.matchedControl };
      expect(got, spec).toEqual({ treated: ref.n_treated, matchedTreated: ref.n_matched_treated, matchedControl: ref.n_matched_control });
      if (ref.caliper_raw !== null) expect(rel(out.caliperWidth!, ref.caliper_raw), spec).toBeLessThan(1e-8);
      expect(rel(out.estimate, ref.att), spec).toBeLessThan(1e-6);
      expect(rel(out.se, ref.se), spec).toBeLessThan(1e-6);
      expect(rel(worst('smdBefore'), ref.max_abs_smd_before), spec).toBeLessThan(1e-6);
      expect(rel(worst('smdAfter'), ref.max_abs_smd_after), spec).toBeLessThan(1e-6);
    }
  });
});
