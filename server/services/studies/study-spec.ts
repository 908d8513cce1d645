/**
 * What a study asks and how it is answered. Defaults are the ones a methodologist would choose
 * (METHODS.md §0): logistic propensity score, matching on its logit with a 0.2 SD caliper
 * (Austin 2011), 1:1 without replacement, cluster-robust SEs by matched pair, multiple
 * imputation within each dataset when covariates have missing values, and the full sensitivity
 * analysis except the (expensive) refuters.
 */
import { z } from 'zod';

export const outcomeNames = [
  'retained_fall_to_fall',
  'persisted_next_term',
  'graduated_100',
  'graduated_150',
  'graduated_200',
  'first_year_gpa',
  'credits_earned_first_year',
] as const;
export type OutcomeName = (typeof outcomeNames)[number];

export const outcomeLabels: Record<OutcomeName, { label: string; binary: boolean; unit: string }> = {
  retained_fall_to_fall: { label: 'fall-to-fall retention', binary: true, unit: 'points' },
  persisted_next_term: { label: 'next-term persistence', binary: true, unit: 'points' },
  graduated_100: { label: 'graduation within 100% of normal time', binary: true, unit: 'points' },
  graduated_150: { label: 'graduation within 150% of normal time', binary: true, unit: 'points' },
  graduated_200: { label: 'graduation within 200% of normal time', binary: true, unit: 'points' },
  first_year_gpa: { label: 'first-year GPA', binary: false, unit: 'GPA points' },
  credits_earned_first_year: { label: 'first-year credits earned', binary: false, unit: 'credits' },
};

/** Covariates measured at entry (as of the treatment term's census date at the latest). */
export const covariateNames = [
  'hs_gpa',
  'test_score',
  'pell_eligible_at_entry',
  'first_generation',
  'age_at_entry',
  'sex',
  'race_ethnicity',
  'residency',
  'full_time_at_entry',
] as const;
export type CovariateName = (typeof covariateNames)[number];

export const subgroupNames = ['pell_eligible_at_entry', 'first_generation', 'race_ethnicity', 'sex', 'full_time_at_entry'] as const;

export const studySpecSchema = z.object({
  name: z.string().trim().min(2, 'Give the study a name.').max(200),
  question: z.string().trim().max(2000).default(''),
  intervention: z.string().trim().min(1, 'Choose the programme (intervention) to evaluate.'),
  outcome: z.enum(outcomeNames),
  cohort: z
    .object({
      /** Cohort (entry) terms; empty means every loaded cohort. */
      entryTerms: z.array(z.string().min(1)).max(100).default([]),
      studentType: z.enum(['first_time', 'transfer', 'all']).default('first_time'),
      load: z.enum(['full_time', 'part_time', 'all']).default('all'),
    })
    .default({ entryTerms: [], studentType: 'first_time', load: 'all' }),
  covariates: z.array(z.enum(covariateNames)).min(1, 'Choose at least one covariate.').default([...covariateNames]),
  subgroups: z.array(z.enum(subgroupNames)).default(['pell_eligible_at_entry', 'first_generation']),
  /** Another outcome the programme cannot affect, run through the identical pipeline. */
  negativeControl: z.enum(['hs_gpa', 'test_score']).optional(),
  costPerStudent: z.number().nonnegative().max(1_000_000).optional(),
  method: z
    .object({
      propensity: z.enum(['logistic', 'gbm']).default('logistic'),
      caliper: z.number().positive().max(2).nullable().default(0.2),
      ratio: z.number().int().min(1).max(5).default(1),
      replace: z.boolean().default(false),
      estimator: z.enum(['matching', 'ipw', 'aipw']).default('matching'),
      imputations: z.number().int().min(2).max(100).default(10),
      seed: z.number().int().min(0).max(2 ** 31 - 1).default(20_240_901),
      benchmarks: z.array(z.enum(covariateNames)).max(5).default(['hs_gpa']),
      refuters: z.boolean().default(false),
    })
    .default({ propensity: 'logistic', caliper: 0.2, ratio: 1, replace: false, estimator: 'matching', imputations: 10, seed: 20_240_901, benchmarks: ['hs_gpa'], refuters: false }),
});
export type StudySpec = z.infer<typeof studySpecSchema>;
export type StudySpecInput = z.input<typeof studySpecSchema>;
