/**
 * Where each dataset kind lands in the database: the table and, for the few fields whose column
 * is named differently, the column. Every other field's column has the field's name.
 */
import type { DatasetKind } from '../metadata/standard-model';
import { standardModel } from '../metadata/standard-model';

interface Target {
  table: string;
  renamed: Record<string, string>;
}

const TARGETS: Record<DatasetKind, Target> = {
  students: { table: 'students', renamed: {} },
  term_enrollments: { table: 'term_enrollments', renamed: { term: 'term_code' } },
  participation: { table: 'participations', renamed: { term: 'term_code' } },
  awards: { table: 'awards', renamed: {} },
  terms: { table: 'academic_periods', renamed: { start: 'start_date', end: 'end_date' } },
};

export function targetTable(kind: DatasetKind): string {
  return TARGETS[kind].table;
}

/** [field, column] for every field of the kind, in the standard model's order. */
export function fieldColumns(kind: DatasetKind): [field: string, column: string][] {
  const { renamed } = TARGETS[kind];
  return standardModel[kind].map((def) => [def.name, renamed[def.name] ?? def.name]);
}
