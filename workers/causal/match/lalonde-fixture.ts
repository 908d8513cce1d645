/**
 * Test-only loader for the MatchIt 4.7.2 lalonde fixtures (../shared/reference/lalonde), shared by
 * the matching and balance tests. Not imported by production code.
 */
import { num, readReferenceCsv } from '../testing/reference';
import type { Matrix } from '../types';

export const FIXTURE_DIR = ['lalonde', 'matchit-4.7.2'] as const;

export interface Lalonde {
  readonly n: number;
  readonly treat: Uint8Array;
  readonly columns: Readonly<Record<string, Float64Array>>;
  readonly race: readonly string[];
}

export function loadLalonde(): Lalonde {
  const rows = readReferenceCsv('lalonde', 'lalonde.csv');
  const n = rows.length;
  const col = (name: string): Float64Array => Float64Array.from(rows, (r) => num(r[name]));
  const race = rows.map((r) => r.race!);
  const dummy = (level: string): Float64Array => Float64Array.from(race, (r) => (r === level ? 1 : 0));
  return {
    n,
    treat: Uint8Array.from(rows, (r) => num(r.treat)),
    race,
    columns: {
      age: col('age'),
      educ: col('educ'),
      raceblack: dummy('black'),
      racehispan: dummy('hispan'),
      racewhite: dummy('white'),
      married: col('married'),
      nodegree: col('nodegree'),
      re74: col('re74'),
      re75: col('re75'),
      re78: col('re78'),
    },
  };
}

export function matrixOf(columns: readonly Float64Array[]): Matrix {
  const rows = columns[0]!.length;
  const cols = columns.length;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[i * cols + j] = columns[j]![i]!;
  return { data, rows, cols };
}

export interface MatchFixture {
  readonly distance: Float64Array;
  /** Per treated row (data order): 0-based control indices, −1 for NA. */
  readonly matchMatrix: Int32Array;
  readonly ratio: number;
  readonly weights: Float64Array;
  /** 0-based subclass, −1 for NA. */
  readonly subclass: Int32Array;
  readonly nn: Readonly<Record<string, { control: number; treated: number }>>;
  readonly caliperRaw: number;
}

export function loadMatchFixture(id: string): MatchFixture {
  const dist = readReferenceCsv(...FIXTURE_DIR, `${id}_distance.csv`);
  const mmRows = readReferenceCsv(...FIXTURE_DIR, `${id}_match_matrix.csv`);
  const ws = readReferenceCsv(...FIXTURE_DIR, `${id}_weights_subclass.csv`);
  const nnRows = readReferenceCsv(...FIXTURE_DIR, `${id}_nn.csv`);
  const eff = readReferenceCsv(...FIXTURE_DIR, `${id}_effects.csv`)[0]!;
  const ratio = Object.keys(mmRows[0]!).filter((k) => /^control\d+_index$/.test(k)).length;
  const matchMatrix = new Int32Array(mmRows.length * ratio);
  mmRows.forEach((r, i) => {
    for (let j = 0; j < ratio; j++) {
      const v = num(r[`control${j + 1}_index`]);
      matchMatrix[i * ratio + j] = Number.isNaN(v) ? -1 : v - 1;
    }
  });
  const nn: Record<string, { control: number; treated: number }> = {};
  for (const r of nnRows) nn[r.row!] = { control: num(r.Control), treated: num(r.Treated) };
  return {
    distance: Float64Array.from(dist, (r) => num(r.distance)),
    matchMatrix,
    ratio,
    weights: Float64Array.from(ws, (r) => num(r.weights)),
    subclass: Int32Array.from(ws, (r) => (r.subclass === 'NA' ? -1 : num(r.subclass) - 1)),
    nn,
    caliperRaw: num(eff.caliper_raw),
  };
}
