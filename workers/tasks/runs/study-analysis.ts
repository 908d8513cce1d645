/**
 * The whole analysis of one run, as a pure function of the frame and the frozen specification:
 * the main estimate (with multiple imputation when covariates have gaps, and the sensitivity
 * analyses), then the subgroup estimates, with cells below the institution's minimum size
 * suppressed. Runs inside a worker thread (./analysis-thread.ts) so the job keeps reporting
 * progress and can be cancelled.
 */
import type { Column, Frame } from '../../causal/data/frame';
import { runAnalysis } from '../../causal/pipeline/within';
import type { AnalyzeOptions, AnalyzeResult } from '../../causal/pipeline/options';
import { createRng } from '../../causal/random/rng';
import type { StudySpec } from '../../../server/services/studies/study-spec';

export interface SubgroupEstimate {
  subgroup: string;
  level: string;
  participants: number;
  comparison: number;
  suppressed: boolean;
  estimate: number | null;
  ci95: readonly [number, number] | null;
  note: string | null;
}

export interface StudyAnalysis {
  main: Omit<AnalyzeResult, 'matches' | 'sensitivityDetail'>;
  subgroups: SubgroupEstimate[];
  outcomeSd: number;
}

/**
 * Subgroup estimates are secondary to the headline and there can be many of them: they are
 * pooled over fewer imputations (Rubin's rules stay valid; only their df and efficiency drop).
 */
const SUBGROUP_IMPUTATIONS = 3;

const hasGaps = (column: Column): boolean =>
  column.kind === 'numeric' ? column.values.some((v) => Number.isNaN(v)) : column.codes.some((c) => c < 0);

export function analyzeOptions(spec: StudySpec, frame: Frame, onStage?: (stage: string) => void): AnalyzeOptions {
  const used = new Set<string>(spec.covariates);
  const gaps = frame.columns.some((c) => used.has(c.name) && hasGaps(c));
  return {
    treatment: 'treated',
    outcome: 'outcome',
    covariates: spec.covariates,
    propensity: spec.method.propensity,
    link: spec.method.caliper !== null ? 'linear.logit' : 'logit',
    caliper: spec.method.caliper ?? undefined,
    ratio: spec.method.ratio,
    replace: spec.method.replace,
    estimator: spec.method.estimator,
    se: spec.method.replace ? 'hc3' : 'cluster',
    impute: gaps ? { m: spec.method.imputations } : undefined,
    sensitivity: { benchmarks: spec.method.benchmarks.filter((b) => used.has(b)), refuters: spec.method.refuters },
    negativeControl: spec.negativeControl,
    onStage,
  };
}

function subset(frame: Frame, keep: Uint8Array): Frame {
  const index: number[] = [];
  keep.forEach((k, i) => k && index.push(i));
  const columns = frame.columns.map((c): Column =>
    c.kind === 'numeric'
      ? { ...c, values: Float64Array.from(index, (i) => c.values[i]!) }
      : { ...c, codes: Int32Array.from(index, (i) => c.codes[i]!) },
  );
  return { rows: index.length, columns };
}

export function runStudyAnalysis(frame: Frame, spec: StudySpec, minCellSize: number, onStage: (stage: string) => void): StudyAnalysis {
  const rng = createRng(spec.method.seed);
  const options = analyzeOptions(spec, frame, onStage);
  const { matches: _matches, sensitivityDetail: _detail, ...main } = runAnalysis(frame, options, rng);
  const outcome = frame.columns.find((c) => c.name === 'outcome')!;
  const treated = frame.columns.find((c) => c.name === 'treated')!;
  const y = outcome.kind === 'numeric' ? outcome.values : new Float64Array();
  const mean = y.reduce((a, b) => a + b, 0) / y.length;
  const outcomeSd = Math.sqrt(y.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, y.length - 1));

  const subgroups: SubgroupEstimate[] = [];
  for (const name of spec.subgroups) {
    const column = frame.columns.find((c) => c.name === name);
    if (!column) continue;
    onStage(`subgroup ${name}`);
    const levels = column.kind === 'categorical' ? column.levels.map((level, code) => ({ level, code })) : [{ level: 'no', code: 0 }, { level: 'yes', code: 1 }];
    for (const { level, code } of levels) {
      const keep = new Uint8Array(frame.rows);
      let participants = 0;
      let comparison = 0;
      for (let i = 0; i < frame.rows; i++) {
        const value = column.kind === 'categorical' ? column.codes[i] : column.values[i];
        if (value !== code) continue;
        keep[i] = 1;
        if (treated.kind === 'numeric' && treated.values[i] === 1) participants++;
        else comparison++;
      }
      const base = { subgroup: name, level, participants, comparison };
      if (participants < minCellSize || comparison < minCellSize) {
        subgroups.push({ ...base, participants: 0, comparison: 0, suppressed: true, estimate: null, ci95: null, note: `Fewer than ${minCellSize} students in a group: suppressed.` });
        continue;
      }
      try {
        const covariates = spec.covariates.filter((c) => c !== name);
        const result = runAnalysis(subset(frame, keep), { ...options, covariates, sensitivity: undefined, negativeControl: undefined, onStage: undefined, impute: options.impute ? { m: Math.min(options.impute.m, SUBGROUP_IMPUTATIONS) } : undefined }, rng.derive(`subgroup:${name}:${level}`));
        subgroups.push({ ...base, suppressed: false, estimate: result.estimate, ci95: result.ci95, note: null });
      } catch (error) {
        subgroups.push({ ...base, suppressed: false, estimate: null, ci95: null, note: error instanceof Error ? error.message : String(error) });
      }
    }
  }
  return { main, subgroups, outcomeSd };
}
