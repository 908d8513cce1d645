import { describe, expect, it } from 'vitest';
import { numericColumn } from '../../causal/data/frame';
import { createRng } from '../../causal/random/rng';
import { studySpecSchema } from '../../../server/services/studies/study-spec';
import { runStudyAnalysis } from './study-analysis';

/** 600 students; first_generation = 1 for only 6 participants, so that cell must be suppressed. */
function frame() {
  const rng = createRng(3);
  const n = 600;
  const treated: number[] = [];
  const outcome: number[] = [];
  const gpa: number[] = [];
  const firstGen: number[] = [];
  let firstGenTreated = 0;
  for (let i = 0; i < n; i++) {
    const g = 2 + 2 * rng.next();
    const t = rng.next() < 1 / (1 + Math.exp(3 - g)) ? 1 : 0;
    const fg = t === 1 ? (firstGenTreated++ < 6 ? 1 : 0) : rng.next() < 0.3 ? 1 : 0;
    treated.push(t);
    gpa.push(g);
    firstGen.push(fg);
    outcome.push(rng.next() < 0.5 + 0.1 * t + 0.05 * (g - 3) ? 1 : 0);
  }
  return {
    rows: n,
    columns: [numericColumn('treated', treated), numericColumn('outcome', outcome), numericColumn('hs_gpa', gpa), numericColumn('first_generation', firstGen)],
  };
}

describe('study analysis', () => {
  it('suppresses subgroup cells below the minimum size, and estimates the others', () => {
    const spec = studySpecSchema.parse({
      name: 'Bridge study',
      intervention: 'Bridge',
      outcome: 'retained_fall_to_fall',
      covariates: ['hs_gpa', 'first_generation'],
      subgroups: ['first_generation'],
      method: { caliper: null, benchmarks: [] },
    });
    const stages: string[] = [];
    const result = runStudyAnalysis(frame(), spec, 10, (s) => stages.push(s));
    const byLevel = Object.fromEntries(result.subgroups.map((g) => [g.level, g]));
    expect(byLevel.yes).toMatchObject({ suppressed: true, participants: 0, comparison: 0, estimate: null, ci95: null });
    expect(byLevel.yes?.note).toMatch(/Fewer than 10/);
    expect(byLevel.no?.suppressed).toBe(false);
    expect(byLevel.no?.estimate).toBeTypeOf('number');
    expect(stages).toContain('subgroup first_generation');
    expect(result.main.n.treated).toBeGreaterThan(6);
  });
});
