/**
 * Multiple imputation by chained equations (fully conditional specification; van Buuren &
 * Groothuis-Oudshoorn 2011, mice `mice()` / `sampler()`), METHODS.md §1.
 *
 * One imputation (`imputeOnce`) is one Gibbs chain:
 *   1. every missing value starts as a random draw from the observed values of its column;
 *   2. for t = 1..maxit, for each incomplete column y in the visit sequence (left to right):
 *      fit y's model on its observed rows with all other columns (current completed values) as
 *      predictors, and replace y's missing values by draws from it (pmm / logreg / polyreg);
 *      then recompute the derived columns that use y (passive imputation);
 *   3. after each sweep, record the mean and SD of the imputed values (mice's chainMean).
 * The completed data after sweep `maxit` are the imputation. Treatment and outcome are always
 * predictors (uncongenial imputation otherwise biases the effect toward 0, METHODS.md §1.3).
 *
 * `mice` runs m chains with `rng.derive(j)`, j = 0..m−1, so callers can instead run
 * `imputeOnce(frame, options, rng.derive(j))` on worker threads and get the same datasets.
 */
import type { Rng } from '../random/rng';
import { choleskyAliased } from '../linalg';
import type { Frame } from '../data/frame';
import { CausalInputError } from '../errors';
import { augmentationFromMoments } from './augment';
import { columnMoments, createChainDesign, designColumns, gramExcept, refreshGram, subMatrix, updateColumn } from './chain-design';
import type { ChainDesign } from './chain-design';
import type { PredictorSource } from './design';
import { imputeLogreg } from './logreg';
import { linearProbabilityModel } from './start-values';
import { imputePmmChain } from './pmm';
import { uniformDigits } from './pmm-match';
import { imputePolyreg } from './polyreg';
import { chainConvergence } from './convergence';
import { matrixBlock } from './row-block';
import type { RowBlock } from './row-block';
import type { FitBlock } from './multinomial';
import type { ChainConvergence } from './convergence';
import type {
  ImputationMethod,
  ImputationReport,
  ImputeColumn,
  ImputedDataset,
  MiceOptions,
  VariableSummary,
} from './types';

/** Mutable working copy of one column during the chain. */
type State =
  | { readonly name: string; readonly kind: 'numeric'; values: Float64Array; readonly derived: boolean }
  | { readonly name: string; readonly kind: 'categorical'; codes: Int32Array; readonly levels: readonly string[]; readonly derived: boolean };

interface Target {
  readonly index: number;
  readonly method: ImputationMethod;
  readonly missing: Int32Array;
  readonly observed: Int32Array;
  /** Predictor column indices (into the state array). */
  readonly predictors: readonly number[];
}

/** Row indices (ascending) where the column is missing and where it is observed. */
function splitRows(col: ImputeColumn, n: number): { missing: Int32Array; observed: Int32Array } {
  const flags = new Uint8Array(n);
  let nMissing = 0;
  if (col.kind === 'numeric') {
    const values = col.values;
    for (let i = 0; i < n; i++) if (values[i] !== values[i]) flags[i] = 1;
  } else {
    const codes = col.codes;
    for (let i = 0; i < n; i++) if (codes[i]! < 0) flags[i] = 1;
  }
  for (let i = 0; i < n; i++) nMissing += flags[i]!;
  const missing = new Int32Array(nMissing);
  const observed = new Int32Array(n - nMissing);
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    if (flags[i] === 1) missing[a++] = i;
    else observed[b++] = i;
  }
  return { missing, observed };
}

/**
 * values[missing[r]] ← values[observed[u_r]], u_r uniform on the observed rows (exact uniform
 * integers, several per generator call: pmm-match.ts `uniformDigits`).
 */
function fillFromObserved(values: Float64Array | Int32Array, missing: Int32Array, observed: Int32Array, rng: Rng): void {
  const pick = uniformDigits(missing.length, observed.length, rng);
  for (let r = 0; r < missing.length; r++) values[missing[r]!] = values[observed[pick[r]!]!]!;
}

/** Distinct observed values (numeric) or level codes (categorical), sorted. */
function observedCategories(col: ImputeColumn, observed: Int32Array): number[] {
  const seen = new Set<number>();
  for (const i of observed) {
    seen.add(col.kind === 'numeric' ? col.values[i]! : col.codes[i]!);
    if (seen.size > 2 && col.kind === 'numeric') break;
  }
  return [...seen].sort((a, b) => a - b);
}

function chooseMethod(col: ImputeColumn, observed: Int32Array, override: ImputationMethod | undefined): ImputationMethod {
  const cats = observedCategories(col, observed);
  const binary01 = col.kind === 'numeric' && cats.every((v) => v === 0 || v === 1);
  if (override === undefined) {
    if (col.kind === 'numeric') return binary01 && cats.length === 2 ? 'logreg' : 'pmm';
    return cats.length <= 2 ? 'logreg' : 'polyreg';
  }
  if (override === 'pmm' && col.kind !== 'numeric') {
    throw new CausalInputError(`Column "${col.name}" is categorical; use method "logreg" or "polyreg" for it, not "pmm".`, { column: col.name });
  }
  if (override === 'logreg' && !(col.kind === 'categorical' ? cats.length <= 2 : binary01)) {
    throw new CausalInputError(`Column "${col.name}" is not binary (0/1 or two levels); "logreg" cannot impute it.`, { column: col.name });
  }
  if (override === 'polyreg' && col.kind !== 'categorical') {
    throw new CausalInputError(`Column "${col.name}" is numeric; "polyreg" imputes categorical columns only.`, { column: col.name });
  }
  return override;
}

function validate(frame: Frame, options: MiceOptions): number {
  const columns = frame.columns;
  if (columns.length === 0) throw new CausalInputError('No columns to impute.');
  const n = frame.rows;
  const names = new Set<string>();
  for (const col of columns) {
    if (names.has(col.name)) throw new CausalInputError(`Column "${col.name}" appears twice; column names must be unique.`, { column: col.name });
    names.add(col.name);
    const len = col.kind === 'numeric' ? col.values.length : col.codes.length;
    if (len !== n) throw new CausalInputError(`Column "${col.name}" has ${len} rows but the data have ${n}.`, { column: col.name });
    for (let i = 0; i < n; i++) {
      if (col.kind === 'numeric') {
        const v = col.values[i]!;
        if (!Number.isNaN(v) && !Number.isFinite(v)) throw new CausalInputError(`Column "${col.name}" has an infinite value in row ${i + 1}.`, { column: col.name, row: i });
      } else {
        const c = col.codes[i]!;
        if (c >= col.levels.length || c < -1) throw new CausalInputError(`Column "${col.name}" has level code ${c} in row ${i + 1}, outside its ${col.levels.length} levels.`, { column: col.name, row: i });
      }
    }
  }
  const excluded = new Set(options.exclude ?? []);
  for (const role of ['treatment', 'outcome'] as const) {
    const name = options[role];
    if (!names.has(name)) throw new CausalInputError(`The ${role} column "${name}" is not among the columns passed to the imputation; it must be in the imputation model.`, { column: name });
    if (excluded.has(name)) throw new CausalInputError(`The ${role} column "${name}" cannot be excluded: it must be a predictor in every imputation model.`, { column: name });
  }
  for (const d of options.derived ?? []) {
    if (d.name === options.treatment || d.name === options.outcome) throw new CausalInputError(`Derived column "${d.name}" cannot replace the treatment or the outcome.`, { column: d.name });
    const existing = columns.find((c) => c.name === d.name);
    if (existing && existing.kind !== 'numeric') throw new CausalInputError(`Derived column "${d.name}" replaces a categorical column; derived columns are numeric.`, { column: d.name });
    for (const input of d.inputs) {
      if (!names.has(input)) throw new CausalInputError(`Derived column "${d.name}" uses "${input}", which is not a column.`, { column: d.name, input });
    }
  }
  const maxit = options.maxit ?? 10;
  if (!Number.isInteger(maxit) || maxit < 1) throw new CausalInputError(`maxit must be a positive integer, got ${maxit}.`);
  return n;
}

function current(state: State): Float64Array | Int32Array {
  return state.kind === 'numeric' ? state.values : state.codes;
}

function chainMoments(state: State, missing: Int32Array): [number, number] {
  const values = current(state);
  const n = missing.length;
  let mean = 0;
  for (const i of missing) mean += values[i]!;
  mean /= n;
  let ss = 0;
  for (const i of missing) ss += (values[i]! - mean) ** 2;
  return [mean, n > 1 ? Math.sqrt(ss / (n - 1)) : Number.NaN];
}

/** One imputation: one Gibbs chain of `maxit` sweeps. Same `rng` seed → identical output. */
export function imputeOnce(frame: Frame, options: MiceOptions, rng: Rng): ImputedDataset {
  const columns = frame.columns;
  const n = validate(frame, options);
  const maxit = options.maxit ?? 10;
  const excluded = new Set(options.exclude ?? []);
  const derived = options.derived ?? [];
  const derivedByName = new Map(derived.map((d) => [d.name, d]));

  const states: State[] = columns.map((col) =>
    col.kind === 'numeric'
      ? { name: col.name, kind: 'numeric', values: Float64Array.from(col.values), derived: derivedByName.has(col.name) }
      : { name: col.name, kind: 'categorical', codes: Int32Array.from(col.codes), levels: col.levels, derived: derivedByName.has(col.name) },
  );
  for (const d of derived) {
    if (!columns.some((c) => c.name === d.name)) states.push({ name: d.name, kind: 'numeric', values: new Float64Array(n), derived: true });
  }
  const indexOf = new Map(states.map((s, i) => [s.name, i]));

  const variables: VariableSummary[] = [];
  const targets: Target[] = [];
  for (let c = 0; c < columns.length; c++) {
    const col = columns[c]!;
    const { missing, observed } = splitRows(col, n);
    const imputable = missing.length > 0 && !excluded.has(col.name) && !derivedByName.has(col.name);
    if (imputable && observed.length === 0) {
      throw new CausalInputError(`Column "${col.name}" has no observed values; it cannot be imputed. Drop it or exclude it.`, { column: col.name });
    }
    const method = imputable ? chooseMethod(col, observed, options.method?.[col.name]) : null;
    variables.push({ name: col.name, nMissing: missing.length, missingRate: n > 0 ? missing.length / n : 0, method });
    if (method) targets.push({ index: c, method, missing, observed, predictors: [] });
  }

  const withPredictors: Target[] = targets.map((t) => {
    const name = states[t.index]!.name;
    const predictors: number[] = [];
    states.forEach((s, i) => {
      if (i === t.index || excluded.has(s.name)) return;
      const d = derivedByName.get(s.name);
      if (d && d.inputs.includes(name)) return;
      predictors.push(i);
    });
    return { ...t, predictors };
  });

  // Every model's design is a column subset of one maintained matrix (chain-design.ts).
  const sourceOf = (c: number): PredictorSource | null => {
    const s = states[c]!;
    if (excluded.has(s.name)) return null;
    return s.kind === 'numeric' ? { kind: 'numeric', values: s.values } : { kind: 'categorical', codes: s.codes, nLevels: s.levels.length };
  };
  let design: ChainDesign | null = null;
  const recompute = (changed: string | null): void => {
    for (const d of derived) {
      if (changed !== null && !d.inputs.includes(changed)) continue;
      const view: Record<string, Float64Array | Int32Array> = {};
      for (const s of states) if (!s.derived) view[s.name] = current(s);
      const out = d.compute(view);
      if (out.length !== n) throw new CausalInputError(`Derived column "${d.name}" returned ${out.length} values for ${n} rows.`, { column: d.name });
      const index = indexOf.get(d.name)!;
      const target = states[index]!;
      if (target.kind === 'numeric') {
        target.values = Float64Array.from(out);
        if (design) updateColumn(design, index, sourceOf(index)!, null);
      }
    }
  };

  // Step 1: initial fill by random draws from the observed values (mice `initialize.imp`).
  for (const t of withPredictors) fillFromObserved(current(states[t.index]!), t.missing, t.observed, rng);
  recompute(null);
  design = createChainDesign(states.map((_, c) => sourceOf(c)), n);
  const chain = design;
  const modelColumns = new Map(withPredictors.map((t) => [t.index, designColumns(chain, t.predictors)]));

  const chainMean: Record<string, Float64Array> = {};
  const chainSd: Record<string, Float64Array> = {};
  for (const t of withPredictors) {
    chainMean[states[t.index]!.name] = new Float64Array(maxit);
    chainSd[states[t.index]!.name] = new Float64Array(maxit);
  }
  const ridgeUsed = new Set<string>();
  const warm = new Map<number, { key: string; coef: Float64Array; factor: Float64Array }>();
  const observedClasses = new Map<number, { cats: number[]; yObs: Int32Array }>();

  for (let iter = 0; iter < maxit; iter++) {
    // The rank corrections keep G exact up to rounding; rebuilding it once per sweep stops
    // that rounding from accumulating over the chain.
    if (iter > 0) refreshGram(chain);
    for (const t of withPredictors) {
      const state = states[t.index]!;
      const cols = modelColumns.get(t.index)!;
      if (t.method === 'pmm') {
        const values = (state as Extract<State, { kind: 'numeric' }>).values;
        const yCol = chain.offset[t.index]!;
        const result = imputePmmChain(chain, gramExcept(chain, t.missing), cols, yCol, values, t.observed, t.missing, rng, {
          donors: options.donors ?? 5,
          ridge: options.ridge ?? 1e-5,
        });
        if (result.draw.ridgeUsed) ridgeUsed.add(state.name);
        for (let r = 0; r < t.missing.length; r++) values[t.missing[r]!] = result.values[r]!;
      } else {
        imputeCategorical(state, t, chain, cols, gramExcept(chain, t.missing), rng, warm, observedClasses);
      }
      if (!excluded.has(state.name)) updateColumn(chain, t.index, sourceOf(t.index)!, t.missing);
      recompute(state.name);
    }
    for (const t of withPredictors) {
      const name = states[t.index]!.name;
      const [mean, sd] = chainMoments(states[t.index]!, t.missing);
      chainMean[name]![iter] = mean;
      chainSd[name]![iter] = sd;
    }
  }

  const out: ImputeColumn[] = states.map((s) =>
    s.kind === 'numeric' ? { name: s.name, kind: 'numeric', values: s.values } : { name: s.name, kind: 'categorical', codes: s.codes, levels: s.levels },
  );
  const report: ImputationReport = {
    variables,
    visitSequence: withPredictors.map((t) => states[t.index]!.name),
    iterations: maxit,
    chainMean,
    chainSd,
    ridgeUsed: [...ridgeUsed],
  };
  return { frame: { rows: n, columns: out }, report };
}

/**
 * logreg / polyreg step for one target. Categories are compacted to the k observed ones (mice's
 * `augment` uses the observed codes only); aliased design columns (constant or collinear
 * predictors among the observed rows, found by the dqrdc2-style aliased Cholesky of XᵀX) are
 * dropped first, as mice's `remove.lindep` would.
 */
function imputeCategorical(
  state: State,
  t: Target,
  chain: ChainDesign,
  cols: Int32Array,
  gramObs: Float64Array,
  rng: Rng,
  warm: Map<number, { key: string; coef: Float64Array; factor: Float64Array }>,
  observedClasses: Map<number, { cats: number[]; yObs: Int32Array }>,
): void {
  const values = current(state);
  // The observed values never change: their categories and class indices are computed once.
  let classes = observedClasses.get(t.index);
  if (!classes) {
    const cats = [...new Set(Array.from(t.observed, (i) => values[i]!))].sort((a, b) => a - b);
    const compact = new Map(cats.map((c, k) => [c, k]));
    classes = { cats, yObs: Int32Array.from(t.observed, (i) => compact.get(values[i]!)!) };
    observedClasses.set(t.index, classes);
  }
  const { cats, yObs } = classes;
  if (cats.length === 1) {
    for (const i of t.missing) values[i] = cats[0]!;
    return;
  }
  // XᵀX over the observed rows from the chain's Gram matrix, for the aliasing check.
  const aliased = choleskyAliased(subMatrix(gramObs, chain.width, cols), cols.length).aliased;
  const kept = Int32Array.from(Array.from(aliased.keys()).filter((j) => !aliased[j]));
  const keptCols = Int32Array.from(kept, (a) => cols[a]!);
  // Observed and missing rows are read in place from D (row-block.ts); the augmentation rows
  // are a small matrix of their own.
  const augmentation = augmentationFromMoments(columnMoments(chain, keptCols), cats.length, { intercept: kept[0] === 0 });
  const observed: FitBlock = { x: { kernels: chain.kernels, rows: t.observed, nRows: t.observed.length, cols: keptCols }, y: yObs, weight: 1 };
  const missing: RowBlock = { kernels: chain.kernels, rows: t.missing, nRows: t.missing.length, cols: keptCols };
  const pseudo: FitBlock = { x: matrixBlock(augmentation.x), y: augmentation.category, weight: augmentation.weight };
  // The previous sweep's β̂ and information are an excellent Newton start (the data change
  // little between sweeps); they are only reused when the model has the same columns and
  // categories. The first sweep starts from the linear probability model and its approximate
  // information (start-values.ts).
  const key = `${Array.from(kept).join(',')}|${cats.length}`;
  const previous = warm.get(t.index);
  const same = previous !== undefined && previous.key === key;
  const cold = same || kept[0] !== 0 ? undefined : coldStart(chain, gramObs, keptCols, t.index, state.kind, cats, t.observed.length);
  // The approximate information saves one K(K−1)/2-Gram evaluation for a few cheap Newton
  // steps more: worth it from three classes on (measured: two-class fits took two more steps).
  const reuse = same ? { start: previous.coef, startFactor: previous.factor, startFactorIsPrevious: true } : { start: cold?.start, startFactor: cats.length > 2 ? cold?.informationFactor : undefined };
  const drawn = cats.length === 2
    ? imputeLogreg(observed, pseudo, missing, rng, reuse)
    : imputePolyreg(observed, pseudo, cats.length, missing, rng, reuse);
  warm.set(t.index, { key, coef: drawn.coef, factor: drawn.informationFactor });
  for (let r = 0; r < t.missing.length; r++) values[t.missing[r]!] = cats[drawn.values[r]!]!;
}

/**
 * `linearProbabilityModel` from the observed-rows Gram: the class indicators of the imputed
 * column are combinations of its own design columns (the 0/1 value, or the level dummies, with
 * the baseline as the intercept minus the rest), so each Xᵀ1{y = class} is a combination of
 * Gram columns.
 */
function coldStart(chain: ChainDesign, gramObs: Float64Array, keptCols: Int32Array, column: number, kind: State['kind'], cats: readonly number[], nObs: number): ReturnType<typeof linearProbabilityModel> {
  const q = chain.width;
  const off = chain.offset[column]!;
  const span = chain.span[column]!;
  const k = keptCols.length;
  const gramColumn = (l: number): Float64Array => Float64Array.from(keptCols, (a) => gramObs[a * q + l]!);
  const indicator = (value: number): Float64Array => {
    if (kind === 'numeric') {
      const ones = gramColumn(off);
      return value === 1 ? ones : gramColumn(0).map((v, a) => v - ones[a]!);
    }
    if (value > 0) return gramColumn(off + value - 1);
    const rest = gramColumn(0);
    for (let b = 0; b < span; b++) {
      const dummy = gramColumn(off + b);
      for (let a = 0; a < k; a++) rest[a] = rest[a]! - dummy[a]!;
    }
    return rest;
  };
  return linearProbabilityModel(subMatrix(gramObs, q, keptCols), cats.map(indicator), k, nObs);
}

export interface MiceResult {
  readonly datasets: readonly ImputedDataset[];
  readonly convergence: ChainConvergence;
}

/** m imputations, imputation j seeded with `rng.derive(j)` (j = 0..m−1); default m = 5. */
export function mice(frame: Frame, options: MiceOptions & { readonly m?: number }, rng: Rng): MiceResult {
  const m = options.m ?? 5;
  if (!Number.isInteger(m) || m < 1) throw new CausalInputError(`The number of imputations m must be a positive integer, got ${m}.`);
  const datasets: ImputedDataset[] = [];
  for (let j = 0; j < m; j++) datasets.push(imputeOnce(frame, options, rng.derive(j)));
  return { datasets, convergence: chainConvergence(datasets.map((d) => d.report)) };
}
