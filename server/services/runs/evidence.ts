/**
 * Turns an analysis result into what a provost reads: a plain-language headline, warnings when
 * the evidence is weak, and an evidence grade with its reasons. Pure: no I/O.
 *
 * Warning rules (issue "Studies, runs and results"): fewer than 200 participants, match rate
 * under 70%, any |SMD| over 0.1 after matching, poor overlap (more than 10% of participants
 * outside the comparison group's score range, or AUC above 0.85), an implausibly large effect
 * (over 20 points on a rate, over 1 SD of the outcome otherwise), and sensitivity to a weak
 * confounder (robustness value RV_{q,α} under 5%, or a CI E-value under 1.25).
 */
export interface EvidenceInput {
  outcomeLabel: string;
  binary: boolean;
  unit: string;
  estimate: number;
  ci95: readonly [number, number];
  pValue: number;
  participants: number;
  matchRate: number | null;
  maxAbsSmdAfter: number | null;
  treatedOutsideShare: number;
  auc: number;
  outcomeSd: number | null;
  rvAlpha: number | null;
  eValueCi: number | null;
}

export interface Evidence {
  headline: string;
  warnings: { code: string; message: string; severity: 'major' | 'minor' }[];
  grade: 'A' | 'B' | 'C' | 'D';
  gradeReasons: string[];
}

const fmt = (value: number, digits = 1) => value.toFixed(digits);

export function assessEvidence(input: EvidenceInput): Evidence {
  const scale = input.binary ? 100 : 1;
  const digits = input.binary ? 1 : 2;
  const [lo, hi] = input.ci95.map((v) => v * scale) as [number, number];
  const effect = input.estimate * scale;
  const unit = input.binary ? 'points' : input.unit;
  const direction = effect >= 0 ? 'higher' : 'lower';
  const significant = lo > 0 || hi < 0;
  const headline = `Participants' ${input.outcomeLabel} was ${fmt(Math.abs(effect), digits)} ${unit} ${direction} than comparable non-participants' (95% CI ${fmt(lo, digits)} to ${fmt(hi, digits)}${significant ? '' : '; the interval includes no effect'}).`;

  const warnings: Evidence['warnings'] = [];
  if (input.participants < 200) warnings.push({ code: 'few-participants', severity: 'major', message: `Only ${input.participants} participants: estimates are imprecise and sensitive to a few students.` });
  if (input.matchRate !== null && input.matchRate < 0.7) {
    warnings.push({ code: 'low-match-rate', severity: 'major', message: `Only ${fmt(input.matchRate * 100, 0)}% of participants found a comparable non-participant: the result describes the matched participants only.` });
  }
  if (input.maxAbsSmdAfter !== null && input.maxAbsSmdAfter > 0.1) {
    warnings.push({ code: 'imbalance', severity: 'major', message: `After matching, a covariate still differs by ${fmt(input.maxAbsSmdAfter, 2)} standard deviations (the bar is 0.1).` });
  }
  if (input.treatedOutsideShare > 0.1 || input.auc > 0.85) {
    warnings.push({
      code: 'poor-overlap',
      severity: 'major',
      message: `Participants and non-participants overlap poorly (AUC ${fmt(input.auc, 2)}; ${fmt(input.treatedOutsideShare * 100, 0)}% of participants outside the comparison range).`,
    });
  }
  const implausible = input.binary ? Math.abs(effect) > 20 : input.outcomeSd !== null && input.outcomeSd > 0 && Math.abs(input.estimate) > input.outcomeSd;
  if (implausible) warnings.push({ code: 'implausible-effect', severity: 'minor', message: 'The effect is larger than programmes like this usually achieve: check the data and the cohort definition.' });
  if ((input.rvAlpha !== null && input.rvAlpha < 0.05) || (input.eValueCi !== null && input.eValueCi < 1.25)) {
    warnings.push({ code: 'fragile', severity: significant ? 'major' : 'minor', message: 'A weak unmeasured confounder could explain the result away.' });
  }

  const major = warnings.filter((w) => w.severity === 'major').length;
  const minor = warnings.length - major;
  const grade: Evidence['grade'] = major >= 2 ? 'D' : major === 1 ? 'C' : minor > 0 || !significant ? 'B' : 'A';
  const gradeReasons =
    warnings.length === 0
      ? [significant ? 'Balanced, well-overlapping comparison with enough participants, and robust to moderate hidden confounding.' : 'Sound design, but the interval includes no effect.']
      : warnings.map((w) => w.message);
  return { headline, warnings, grade, gradeReasons };
}
