/**
 * Test-only: MatchIt's lalonde data (reference/lalonde/lalonde.csv) as a Frame, plus the
 * treatment vector. Reads files, so production code must not import it.
 */
import { num, readReferenceCsv } from '../testing/reference';
import type { Frame } from './frame';
import { categoricalColumn, numericColumn } from './frame';

export interface LalondeFixture {
  readonly frame: Frame;
  readonly treat: Float64Array;
  readonly covariates: readonly string[];
}

export function loadLalonde(): LalondeFixture {
  const rows = readReferenceCsv('lalonde', 'lalonde.csv');
  const numeric = (key: string) => numericColumn(key, rows.map((r) => num(r[key])));
  const frame: Frame = {
    rows: rows.length,
    columns: [
      numeric('age'),
      numeric('educ'),
      categoricalColumn('race', rows.map((r) => r.race)),
      numeric('married'),
      numeric('nodegree'),
      numeric('re74'),
      numeric('re75'),
      numeric('re78'),
    ],
  };
  return {
    frame,
    treat: Float64Array.from(rows.map((r) => num(r.treat))),
    covariates: ['age', 'educ', 'race', 'married', 'nodegree', 're74', 're75'],
  };
}
