import { describe, expect, it } from 'vitest';
import { assessEvidence, type EvidenceInput } from './evidence';

const strong: EvidenceInput = {
  outcomeLabel: 'fall-to-fall retention',
  binary: true,
  unit: 'points',
  estimate: 0.062,
  ci95: [0.031, 0.093],
  pValue: 0.0001,
  participants: 900,
  matchRate: 0.96,
  maxAbsSmdAfter: 0.03,
  treatedOutsideShare: 0.01,
  auc: 0.68,
  outcomeSd: 0.43,
  rvAlpha: 0.09,
  eValueCi: 1.6,
};

describe('evidence', () => {
  it('writes the headline in points with the interval', () => {
    expect(assessEvidence(strong).headline).toBe(
      "Participants' fall-to-fall retention was 6.2 points higher than comparable non-participants' (95% CI 3.1 to 9.3).",
    );
  });

  it('grades strong evidence A and says why', () => {
    const e = assessEvidence(strong);
    expect(e.grade).toBe('A');
    expect(e.warnings).toEqual([]);
  });

  it('flags each weakness and lowers the grade', () => {
    const weak = assessEvidence({ ...strong, participants: 120, matchRate: 0.6, maxAbsSmdAfter: 0.14, rvAlpha: 0.02 });
    expect(weak.warnings.map((w) => w.code)).toEqual(['few-participants', 'low-match-rate', 'imbalance', 'fragile']);
    expect(weak.grade).toBe('D');
    expect(assessEvidence({ ...strong, ci95: [-0.01, 0.13] }).headline).toContain('the interval includes no effect');
    expect(assessEvidence({ ...strong, ci95: [-0.01, 0.13] }).grade).toBe('B');
    expect(assessEvidence({ ...strong, auc: 0.9 }).warnings.map((w) => w.code)).toEqual(['poor-overlap']);
    expect(assessEvidence({ ...strong, estimate: 0.3, ci95: [0.25, 0.35] }).warnings.map((w) => w.code)).toEqual(['implausible-effect']);
  });
});
