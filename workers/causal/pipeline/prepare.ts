/**
 * Input checks and column preparation for `analyze`: every user error is a CausalInputError
 * that names the column (and the row where one is known), so an analyst can fix the data.
 * Checks, in order: columns exist; the treatment is 0/1 with both groups; numeric columns hold
 * only numbers; no covariate is all-missing or constant; missing values are reported (rows and
 * columns) unless complete-case analysis is requested.
 */
import { CausalInputError } from '../errors';
import type { Column, Frame } from '../data/frame';
import type { AnalyzeOptions } from './options';

/** Extra facts a CSV reader may attach to a numeric column (workers/io/csv). */
interface NumericColumnFacts {
  readonly nonNumeric?: number;
  readonly firstNonNumeric?: { readonly row: number; readonly value: string } | null;
}

export interface PreparedData {
  /** Rows used, as 0-based rows of the input frame. */
  readonly rowIndex: Int32Array;
  readonly treat: Uint8Array;
  readonly y: Float64Array;
  /** Covariate columns restricted to the used rows (categoricals as declared). */
  readonly covariates: readonly Column[];
  readonly exact: readonly Column[];
  readonly mahalanobis: readonly Column[];
  /** Negative-control outcome on the used rows (when one is named). */
  readonly negativeControl?: Float64Array;
  readonly warnings: string[];
  /** Missing values per used column (counts over the rows kept), when any. */
  readonly missingCounts?: Readonly<Record<string, number>>;
  readonly incompleteRows?: number;
}

export interface PrepareOptions {
  /**
   * Keep rows with missing covariate / outcome values (multiple imputation follows); rows with a
   * missing treatment are still dropped, with a warning.
   */
  readonly allowMissing?: boolean;
}

const MAX_LISTED = 5;

function listNames(names: readonly string[]): string {
  return names.length <= 12 ? names.join(', ') : `${names.slice(0, 12).join(', ')}, … (${names.length} columns)`;
}

function findColumn(frame: Frame, name: string, role: string): Column {
  const column = frame.columns.find((c) => c.name === name);
  if (!column) {
    throw new CausalInputError(`The ${role} column "${name}" is not in the data. Columns are: ${listNames(frame.columns.map((c) => c.name))}.`, {
      column: name,
      role,
    });
  }
  return column;
}

function requireNumeric(column: Column, role: string): Float64Array {
  if (column.kind !== 'numeric') {
    const sample = column.levels.slice(0, 3).map((l) => `"${l}"`).join(', ');
    throw new CausalInputError(`The ${role} column "${column.name}" must be numeric, but it holds text (e.g. ${sample}).`, { column: column.name, role });
  }
  const facts = column as NumericColumnFacts;
  if (facts.nonNumeric && facts.nonNumeric > 0 && facts.firstNonNumeric) {
    const { row, value } = facts.firstNonNumeric;
    throw new CausalInputError(
      `Column "${column.name}" is numeric but data row ${row} holds "${value}"${facts.nonNumeric > 1 ? ` (and ${facts.nonNumeric - 1} more non-numeric values)` : ''}; fix or blank those values (use a period as the decimal mark).`,
      { column: column.name, row, value, count: facts.nonNumeric },
    );
  }
  return column.values;
}

/** A numeric column declared categorical: levels are the distinct numbers, sorted numerically (R's factor()). */
function numericToCategorical(column: Column): Column {
  if (column.kind === 'categorical') return column;
  const distinct = [...new Set(Array.from(column.values).filter((v) => !Number.isNaN(v)))].sort((a, b) => a - b);
  const index = new Map(distinct.map((v, i) => [v, i]));
  const codes = Int32Array.from(column.values, (v) => (Number.isNaN(v) ? -1 : index.get(v)!));
  return { name: column.name, kind: 'categorical', codes, levels: distinct.map(String) };
}

function isMissing(column: Column, i: number): boolean {
  return column.kind === 'numeric' ? Number.isNaN(column.values[i]!) : column.codes[i]! < 0;
}

function subset(column: Column, rows: Int32Array): Column {
  if (column.kind === 'numeric') return { name: column.name, kind: 'numeric', values: Float64Array.from(rows, (r) => column.values[r]!) };
  return { name: column.name, kind: 'categorical', codes: Int32Array.from(rows, (r) => column.codes[r]!), levels: column.levels };
}

function checkNotConstant(column: Column, rows: Int32Array, role: string): void {
  let first: number | null = null;
  let observed = 0;
  for (const r of rows) {
    if (isMissing(column, r)) continue;
    observed++;
    const v = column.kind === 'numeric' ? column.values[r]! : column.codes[r]!;
    if (!Number.isFinite(v)) {
      throw new CausalInputError(`Column "${column.name}" is infinite in data row ${r + 1}; ${role}s must be finite numbers.`, { column: column.name, row: r + 1 });
    }
    if (first === null) first = v;
    else if (v !== first) return;
  }
  if (observed === 0) throw new CausalInputError(`The ${role} "${column.name}" is missing in every row.`, { column: column.name });
  const shown = column.kind === 'numeric' ? String(first) : `"${column.levels[first!]}"`;
  throw new CausalInputError(`The ${role} "${column.name}" is constant (${shown} in every row with a value); it cannot inform the propensity model. Remove it from the covariates.`, {
    column: column.name,
  });
}

export function prepareData(frame: Frame, options: AnalyzeOptions, prepare: PrepareOptions = {}): PreparedData {
  const n = frame.rows;
  const warnings: string[] = [];
  if (options.covariates.length === 0) throw new CausalInputError('Name at least one covariate (--covariates a,b,c).');
  const roles = new Map<string, string>();
  const claim = (name: string, role: string): void => {
    const other = roles.get(name);
    if (other && other !== role && !(other === 'covariate' && (role === 'exact' || role === 'mahalanobis'))) {
      throw new CausalInputError(`Column "${name}" is used both as the ${other} and as a ${role}.`, { column: name });
    }
    if (!other) roles.set(name, role);
  };
  claim(options.treatment, 'treatment');
  claim(options.outcome, 'outcome');
  for (const c of options.covariates) claim(c, 'covariate');
  const treatmentColumn = findColumn(frame, options.treatment, 'treatment');
  const outcomeColumn = findColumn(frame, options.outcome, 'outcome');
  const categorical = new Set(options.categorical ?? []);
  for (const name of categorical) {
    if (!options.covariates.includes(name) && !(options.exact ?? []).includes(name)) {
      throw new CausalInputError(`--categorical names "${name}", which is not a covariate or exact-matching variable.`, { column: name });
    }
  }
  const prepareCovariate = (name: string, role: string): Column => {
    const column = findColumn(frame, name, role);
    if (categorical.has(name)) return numericToCategorical(column);
    if (column.kind === 'numeric') requireNumeric(column, role);
    return column;
  };
  const covariates = options.covariates.map((name) => prepareCovariate(name, 'covariate'));
  const exact = (options.exact ?? []).map((name) => numericToCategorical(prepareCovariate(name, 'exact-matching variable')));
  const mahalanobis = (options.mahalanobis ?? []).map((name) => prepareCovariate(name, 'Mahalanobis variable'));
  let ncColumn: Column | undefined;
  if (options.negativeControl !== undefined) {
    const name = options.negativeControl;
    if (name === options.outcome || name === options.treatment) {
      throw new CausalInputError(`The negative-control outcome "${name}" is the ${name === options.outcome ? 'outcome' : 'treatment'} itself; name another pre-treatment column the programme cannot affect.`, { column: name });
    }
    ncColumn = findColumn(frame, name, 'negative-control outcome');
    requireNumeric(ncColumn, 'negative-control outcome');
    if (options.covariates.includes(name)) {
      warnings.push(`The negative-control outcome "${name}" is also a covariate: matching balances it by construction, so its check cannot fail and says nothing. Use a pre-treatment column that is not a covariate.`);
    }
  }

  // Treatment: 0/1 only.
  if (treatmentColumn.kind !== 'numeric') {
    throw new CausalInputError(
      `The treatment column "${options.treatment}" must be coded 0 (control) / 1 (treated), but it holds text (${treatmentColumn.levels.slice(0, 4).map((l) => `"${l}"`).join(', ')}).`,
      { column: options.treatment },
    );
  }
  const t = requireNumeric(treatmentColumn, 'treatment');
  for (let i = 0; i < n; i++) {
    const v = t[i]!;
    if (!Number.isNaN(v) && v !== 0 && v !== 1) {
      throw new CausalInputError(`The treatment column "${options.treatment}" must be 0 or 1, but data row ${i + 1} is ${v}.`, { column: options.treatment, row: i + 1, value: v });
    }
  }
  const y = requireNumeric(outcomeColumn, 'outcome');
  for (let i = 0; i < n; i++) {
    if (!Number.isNaN(y[i]!) && !Number.isFinite(y[i]!)) {
      throw new CausalInputError(`The outcome "${options.outcome}" is infinite in data row ${i + 1}.`, { column: options.outcome, row: i + 1 });
    }
  }

  // Missing values: count per column, then stop (or drop rows when asked).
  const used: Column[] = [treatmentColumn, outcomeColumn, ...covariates, ...exact, ...mahalanobis, ...(ncColumn ? [ncColumn] : [])];
  const seen = new Set<string>();
  const distinctUsed = used.filter((c) => (seen.has(c.name) ? false : (seen.add(c.name), true)));
  const allRows = new Int32Array(n);
  for (let i = 0; i < n; i++) allRows[i] = i;
  for (const c of [...covariates, ...exact, ...mahalanobis]) checkNotConstant(c, allRows, 'covariate');
  const incomplete = new Uint8Array(n);
  const perColumn: { name: string; count: number; first: number }[] = [];
  for (const c of distinctUsed) {
    let count = 0;
    let first = -1;
    for (let i = 0; i < n; i++) {
      if (isMissing(c, i)) {
        if (count++ === 0) first = i;
        incomplete[i] = 1;
      }
    }
    if (count > 0) perColumn.push({ name: c.name, count, first });
  }
  let nIncomplete = 0;
  for (let i = 0; i < n; i++) nIncomplete += incomplete[i]!;
  let rowIndex = allRows;
  let missingCounts: Record<string, number> | undefined;
  if (nIncomplete > 0 && prepare.allowMissing) {
    // Imputation keeps the rows; only a missing treatment (nothing to impute it from) drops one.
    const keep = Int32Array.from(allRows.filter((i) => !Number.isNaN(t[i]!)));
    if (keep.length < n) warnings.push(`${n - keep.length} rows with a missing treatment were dropped (the treatment is not imputed).`);
    rowIndex = keep;
    missingCounts = {};
    nIncomplete = 0;
    const incompleteKept = new Uint8Array(n);
    for (const c of distinctUsed) {
      let count = 0;
      for (const r of keep) if (isMissing(c, r)) {
        count++;
        incompleteKept[r] = 1;
      }
      if (count > 0) missingCounts[c.name] = count;
    }
    for (const r of keep) nIncomplete += incompleteKept[r]!;
  } else if (nIncomplete > 0) {
    const detail = perColumn
      .slice(0, MAX_LISTED)
      .map((m) => `"${m.name}" (${m.count} row${m.count === 1 ? '' : 's'}, first: data row ${m.first + 1})`)
      .join(', ');
    const more = perColumn.length > MAX_LISTED ? ` and ${perColumn.length - MAX_LISTED} more columns` : '';
    const summary = `${nIncomplete} of ${n} rows have missing values: ${detail}${more}`;
    if (!options.completeCases) {
      throw new CausalInputError(
        `${summary}. Rerun with --impute m=20 to impute them (multiple imputation, recommended), fill them, or use --complete-cases to analyse only complete rows (this can bias the estimate).`,
        { rows: nIncomplete, columns: Object.fromEntries(perColumn.map((m) => [m.name, m.count])) },
      );
    }
    warnings.push(`${summary}; they were dropped (complete-case analysis), which can bias the estimate.`);
    rowIndex = Int32Array.from(allRows.filter((i) => incomplete[i] === 0));
  }

  const treat = new Uint8Array(rowIndex.length);
  let n1 = 0;
  for (let k = 0; k < rowIndex.length; k++) n1 += treat[k] = t[rowIndex[k]!]!;
  const n0 = rowIndex.length - n1;
  if (n1 === 0) throw new CausalInputError(`No treated units: the treatment column "${options.treatment}" is never 1${nIncomplete ? ' in the complete rows' : ''}.`, { column: options.treatment });
  if (n0 === 0) throw new CausalInputError(`No control units: the treatment column "${options.treatment}" is never 0${nIncomplete ? ' in the complete rows' : ''}.`, { column: options.treatment });
  if (rowIndex.length < n) for (const c of [...covariates, ...exact, ...mahalanobis]) checkNotConstant(c, rowIndex, 'covariate');

  const whole = rowIndex.length === n;
  const pick = (c: Column): Column => (whole ? c : subset(c, rowIndex));
  return {
    rowIndex,
    treat,
    y: whole ? y : Float64Array.from(rowIndex, (r) => y[r]!),
    covariates: covariates.map(pick),
    exact: exact.map(pick),
    mahalanobis: mahalanobis.map(pick),
    negativeControl: ncColumn && ncColumn.kind === 'numeric' ? (whole ? ncColumn.values : Float64Array.from(rowIndex, (r) => (ncColumn as { values: Float64Array }).values[r]!)) : undefined,
    warnings,
    missingCounts,
    incompleteRows: missingCounts ? nIncomplete : undefined,
  };
}
