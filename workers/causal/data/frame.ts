/**
 * Minimal column store that the engine's modules exchange (CLI → design matrix → models).
 *
 * - numeric: Float64Array, NaN = missing. Binary 0/1 covariates are numeric (as in R, where a
 *   0/1 integer enters `model.matrix` as-is).
 * - categorical: Int32Array codes into `levels` (0-based), −1 = missing. `levels` order is the
 *   factor's level order; `categoricalColumn` builds it sorted, as R's `factor()` does.
 */
export type Column =
  | { readonly name: string; readonly kind: 'numeric'; readonly values: Float64Array }
  | { readonly name: string; readonly kind: 'categorical'; readonly codes: Int32Array; readonly levels: readonly string[] };

export interface Frame {
  readonly rows: number;
  readonly columns: readonly Column[];
}

export function numericColumn(name: string, values: Float64Array | readonly number[]): Column {
  return { name, kind: 'numeric', values: values instanceof Float64Array ? values : Float64Array.from(values) };
}

/**
 * Categorical column from strings (null / undefined / '' / 'NA' = missing). Levels are the
 * distinct values sorted by code point (R's `factor()` in the C locale; in other locales R sorts
 * case-insensitively, so give `levels` explicitly for mixed-case labels).
 */
export function categoricalColumn(name: string, values: readonly (string | null | undefined)[], levels?: readonly string[]): Column {
  const isMissing = (v: string | null | undefined): v is null | undefined => v === null || v === undefined || v === '' || v === 'NA';
  const levelList = levels ?? [...new Set(values.filter((v): v is string => !isMissing(v)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(levelList.map((level, i) => [level, i]));
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    codes[i] = isMissing(v) ? -1 : (index.get(v) ?? -2);
    if (codes[i] === -2) throw new RangeError(`Column "${name}", row ${i + 1}: value "${v}" is not one of the given levels.`);
  }
  return { name, kind: 'categorical', codes, levels: levelList };
}

export function columnLength(column: Column): number {
  return column.kind === 'numeric' ? column.values.length : column.codes.length;
}
