/**
 * Command-line arguments of `causeway analyze` (node:util parseArgs), turned into
 * `AnalyzeOptions`. Usage mistakes throw `UsageError` (exit code 2), with the help hint.
 */
import { parseArgs } from 'node:util';
import type { MatchOrder } from '../causal/match/options';
import type { AnalyzeOptions, EstimatorName, ImputeMode, ImputeOptions, PropensityLink, PropensityMethod, SeMethod, SensitivityOptions } from '../causal/pipeline/options';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const HELP = `causeway — causal effect of a programme from observational data (propensity-score matching)

Usage:
  npx causeway analyze --data FILE.csv --treatment COL --outcome COL --covariates a,b,c [options]

Data:
  --data FILE             CSV file (.csv or .csv.gz; delimiter , ; tab or | detected; NA or empty = missing)
  --treatment COL         0/1 column (1 = took part in the programme)
  --outcome COL           numeric outcome
  --covariates a,b,c      pre-treatment covariates for the propensity model and balance
  --categorical a,b       numeric columns to treat as categories (text columns are categorical already)
  --delimiter C           force the CSV delimiter
  --complete-cases        drop rows with missing values (default: stop and report them)

Missing values (multiple imputation by chained equations, pooled by Rubin's rules):
  --impute m=20[,maxit=10]          impute missing values m times (m ≥ 2); each imputation is
                                    matched and estimated on its own ("within"), then pooled
  --impute-mode within|gbm-missing  within (default); gbm-missing: one cross-fitted GBM score on
                                    the incomplete covariates, imputations only for the outcome
                                    model (g-computation) and balance: cheaper for very large data

Propensity score:
  --propensity logistic|gbm         model (default logistic; gbm is cross-fitted)
  --link logit|linear.logit         match on the probability (MatchIt default) or on its logit

Matching (MatchIt's method = "nearest"):
  --caliper W             caliper in SD units of the distance (default: none)
  --ratio K               controls per treated unit (default 1)
  --replace               match with replacement
  --exact a,b             match exactly on these columns
  --mahalanobis a,b       Mahalanobis distance on these covariates (the PS serves for the caliper)
  --order largest|smallest|random|closest|farthest|data   matching order (default largest)

Estimate:
  --estimator matching|ipw|aipw     (default matching: weighted difference in means, g-computation too)
  --se cluster|hc3|ai|bootstrap     (default cluster without replacement, hc3 with replacement)
  --bootstrap-replicates B          (default 999)
  --seed N                          random seed (bootstrap, random order, GBM); default 1

Sensitivity:
  --sensitivity           Rosenbaum bounds (Γ*), E-values, Cinelli–Hazlett robustness values
  --benchmark a,b         covariates for the "k times as strong as X" bounds (k = 1, 2, 3)
  --refuters              also placebo / random common cause / data subset checks (slow)
  --negative-control COL  rerun the same pipeline on COL, an outcome the programme cannot affect
                          (measured before treatment: Causeway cannot check that, you assert it)

Performance:
  --threads 1|2           threads to use (default: 2 for files of 32 MB or more when 2 cores are free, else 1);
                          results are the same either way

Output:
  --json                  one JSON object on stdout
  --emit-matches          add matches: [[treatedRow, controlRow, weight], …] (0-based data rows) to the JSON
  --no-timings            leave stage timings out (byte-identical output for the same seed)
  -h, --help              this help

Exit codes: 0 success, 1 data problem (message on stderr), 2 usage error.
`;

export interface CliOptions {
  readonly command: 'analyze' | 'help';
  readonly data: string;
  readonly analyze: Omit<AnalyzeOptions, 'onStage'>;
  readonly delimiter?: string;
  readonly seed: number;
  readonly json: boolean;
  readonly timings: boolean;
  /** 1 or 2; undefined = decide from the file size and the cores. */
  readonly threads?: number;
}

const list = (value: string | undefined): string[] =>
  value === undefined
    ? []
    : value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}; got "${value}".`);
  return value as T;
}

function numberFlag(flag: string, value: string | undefined, check: (v: number) => boolean, what: string): number | undefined {
  if (value === undefined) return undefined;
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v) || !check(v)) throw new UsageError(`--${flag} must be ${what}; got "${value}".`);
  return v;
}

/** `--impute m=20,maxit=10` (or `--impute 20`). */
function parseImpute(value: string | undefined, mode: ImputeMode | undefined): ImputeOptions | undefined {
  if (value === undefined) {
    if (mode !== undefined) throw new UsageError('--impute-mode needs --impute m=…');
    return undefined;
  }
  const parts: Record<string, string> = {};
  for (const part of value.split(',').map((p) => p.trim()).filter((p) => p.length > 0)) {
    const [key, val] = part.includes('=') ? part.split('=', 2).map((s) => s.trim()) : ['m', part];
    if (key !== 'm' && key !== 'maxit' && key !== 'pool') throw new UsageError(`--impute takes m=N[,maxit=K][,pool=g-computation|headline]; unknown setting "${key}".`);
    parts[key!] = val!;
  }
  if (parts.m === undefined) throw new UsageError('--impute needs the number of imputations, e.g. --impute m=20.');
  const m = Number(parts.m);
  if (!Number.isInteger(m) || m < 2) throw new UsageError(`--impute m must be a whole number ≥ 2 (Rubin's rules pool at least two imputations; 20 is a good default); got "${parts.m}".`);
  const maxit = parts.maxit === undefined ? undefined : Number(parts.maxit);
  if (maxit !== undefined && !(Number.isInteger(maxit) && maxit >= 1)) throw new UsageError(`--impute maxit must be a whole number ≥ 1; got "${parts.maxit}".`);
  const pool = parts.pool;
  if (pool !== undefined && pool !== 'g-computation' && pool !== 'headline') throw new UsageError(`--impute pool is g-computation or headline; got "${pool}".`);
  return { m, ...(maxit !== undefined ? { maxit } : {}), ...(mode ? { mode } : {}), ...(pool ? { pool } : {}) };
}

export function parseCli(argv: readonly string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        data: { type: 'string' },
        treatment: { type: 'string' },
        outcome: { type: 'string' },
        covariates: { type: 'string' },
        categorical: { type: 'string' },
        delimiter: { type: 'string' },
        'complete-cases': { type: 'boolean' },
        propensity: { type: 'string' },
        link: { type: 'string' },
        caliper: { type: 'string' },
        ratio: { type: 'string' },
        replace: { type: 'boolean' },
        exact: { type: 'string' },
        mahalanobis: { type: 'string' },
        order: { type: 'string' },
        estimator: { type: 'string' },
        se: { type: 'string' },
        'bootstrap-replicates': { type: 'string' },
        seed: { type: 'string' },
        json: { type: 'boolean' },
        'emit-matches': { type: 'boolean' },
        'no-timings': { type: 'boolean' },
        threads: { type: 'string' },
        impute: { type: 'string' },
        'impute-mode': { type: 'string' },
        sensitivity: { type: 'boolean' },
        benchmark: { type: 'string' },
        refuters: { type: 'boolean' },
        'negative-control': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values: v, positionals } = parsed;
  const command = positionals[0];
  if (v.help || command === 'help' || command === undefined) {
    if (command === undefined && !v.help) throw new UsageError('Missing command: use "causeway analyze …".');
    return { command: 'help', data: '', analyze: { treatment: '', outcome: '', covariates: [] }, seed: 1, json: false, timings: true };
  }
  if (command !== 'analyze') throw new UsageError(`Unknown command "${command}"; the command is "analyze".`);
  if (positionals.length > 1) throw new UsageError(`Unexpected argument "${positionals[1]}".`);
  for (const flag of ['data', 'treatment', 'outcome', 'covariates'] as const) {
    if (!v[flag]) throw new UsageError(`--${flag} is required.`);
  }
  const replace = v.replace ?? false;
  const se = oneOf<SeMethod>('se', v.se, ['cluster', 'hc3', 'ai', 'bootstrap']);
  if (se === 'ai' && !replace) throw new UsageError('--se ai (Abadie–Imbens) is for matching with replacement; add --replace or choose --se cluster|hc3|bootstrap.');
  if (se === 'cluster' && replace) throw new UsageError('--se cluster needs matching without replacement (matched sets overlap with --replace); use --se hc3, ai or bootstrap.');
  const estimator = oneOf<EstimatorName>('estimator', v.estimator, ['matching', 'ipw', 'aipw']);
  if (estimator && estimator !== 'matching' && se && se !== 'bootstrap') {
    throw new UsageError(`--se ${se} applies to matching; ${estimator} reports its own M-estimation SE (or use --se bootstrap).`);
  }
  const seed = numberFlag('seed', v.seed, (x) => Number.isInteger(x) && x >= 0 && x <= 0xffffffff, 'a whole number between 0 and 4294967295') ?? 1;
  if (v['emit-matches'] && !v.json) throw new UsageError('--emit-matches adds the pairs to the JSON output; add --json.');
  const impute = parseImpute(v.impute, oneOf<ImputeMode>('impute-mode', v['impute-mode'], ['within', 'gbm-missing']));
  if (impute && v['complete-cases']) throw new UsageError('--impute and --complete-cases exclude each other: choose one way to handle missing values.');
  const benchmarks = list(v.benchmark);
  const covariateList = list(v.covariates);
  for (const b of benchmarks) if (!covariateList.includes(b)) throw new UsageError(`--benchmark "${b}" is not one of the --covariates.`);
  const sensitivity: SensitivityOptions | undefined = v.sensitivity || v.refuters || benchmarks.length > 0 ? { benchmarks, refuters: v.refuters ?? false } : undefined;
  const analyze: Omit<AnalyzeOptions, 'onStage'> = {
    treatment: v.treatment!,
    outcome: v.outcome!,
    covariates: list(v.covariates),
    categorical: list(v.categorical),
    propensity: oneOf<PropensityMethod>('propensity', v.propensity, ['logistic', 'gbm']),
    link: oneOf<PropensityLink>('link', v.link, ['logit', 'linear.logit']),
    caliper: numberFlag('caliper', v.caliper, (x) => x > 0, 'a positive number (SD units of the distance)'),
    ratio: numberFlag('ratio', v.ratio, (x) => Number.isInteger(x) && x >= 1, 'a whole number ≥ 1'),
    replace,
    exact: list(v.exact),
    mahalanobis: list(v.mahalanobis),
    order: oneOf<MatchOrder>('order', v.order, ['largest', 'smallest', 'random', 'closest', 'farthest', 'data']),
    estimator,
    se,
    bootstrapReplicates: numberFlag('bootstrap-replicates', v['bootstrap-replicates'], (x) => Number.isInteger(x) && x >= 19, 'a whole number ≥ 19'),
    completeCases: v['complete-cases'] ?? false,
    emitMatches: v['emit-matches'] ?? false,
    ...(impute ? { impute } : {}),
    ...(sensitivity ? { sensitivity } : {}),
    ...(v['negative-control'] !== undefined ? { negativeControl: v['negative-control'] } : {}),
  };
  return {
    command: 'analyze',
    data: v.data!,
    analyze,
    delimiter: v.delimiter === 'tab' || v.delimiter === '\\t' ? '\t' : v.delimiter,
    seed,
    json: v.json ?? false,
    timings: !(v['no-timings'] ?? false),
    threads: numberFlag('threads', v.threads, (x) => x === 1 || x === 2, '1 or 2'),
  };
}
