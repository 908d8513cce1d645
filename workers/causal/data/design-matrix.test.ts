import { describe, it, expect } from 'vitest';
import { buildDesignMatrix } from './design-matrix';
import { categoricalColumn, numericColumn } from './frame';
import { loadLalonde } from './lalonde-fixture';

describe('buildDesignMatrix (R model.matrix, treatment contrasts)', () => {
  it('encodes lalonde like model.matrix(~ age + educ + race + …)', () => {
    const { frame, covariates } = loadLalonde();
    const dm = buildDesignMatrix(frame, { covariates });
    // Names as in MatchIt's summary (R model.matrix, race reference "black").
    expect(dm.columnNames).toEqual(['(Intercept)', 'age', 'educ', 'racehispan', 'racewhite', 'married', 'nodegree', 're74', 're75']);
    expect(dm.matrix.rows).toBe(614);
    // Row 2 of lalonde.csv: NSW2, age 22, educ 9, hispan, married 0, nodegree 1, re74 0, re75 0
    expect(Array.from(dm.matrix.data.subarray(9, 18))).toEqual([1, 22, 9, 1, 0, 0, 1, 0, 0]);
    const race = dm.terms.find((t) => t.column === 'race')!;
    expect(race).toMatchObject({ kind: 'categorical', start: 3, end: 5, reference: 'black' });
    // Column means of the dummies equal the shares in MatchIt's balance table (all data).
    let hispan = 0;
    for (let i = 0; i < 614; i++) hispan += dm.matrix.data[i * 9 + 3]!;
    expect(hispan).toBe(11 + 61); // 0.0595·185 + 0.1422·429
  });
  it('honours an explicit reference level and no intercept', () => {
    const col = categoricalColumn('g', ['b', 'a', 'c', 'a']);
    expect(col.kind === 'categorical' && col.levels).toEqual(['a', 'b', 'c']);
    const dm = buildDesignMatrix([col, numericColumn('x', [1, 2, 3, 4])], { reference: { g: 'c' }, intercept: false });
    expect(dm.columnNames).toEqual(['ga', 'gb', 'x']);
    expect(Array.from(dm.matrix.data)).toEqual([0, 1, 1, 1, 0, 2, 0, 0, 3, 1, 0, 4]);
  });
  it('reports missing values with column and row, or propagates NaN', () => {
    const cols = [numericColumn('x', [1, Number.NaN]), categoricalColumn('g', ['a', null])];
    expect(() => buildDesignMatrix(cols)).toThrow(/"x" is missing in row 2/);
    const dm = buildDesignMatrix([categoricalColumn('g', ['a', 'b', null])], { missing: 'propagate' });
    expect(Array.from(dm.matrix.data)).toEqual([1, 0, 1, 1, 1, Number.NaN]);
    expect(() => buildDesignMatrix(cols, { covariates: ['nope'] })).toThrow(/"nope" is not a column/);
    expect(() => buildDesignMatrix(cols, { covariates: ['g'], reference: { g: 'z' } })).toThrow(/not a level/);
  });
});
