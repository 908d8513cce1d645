/**
 * Test-only access to the reference data and R outputs in `../shared/reference` (beside the
 * repository root). Not imported by production code: the numeric core itself does no I/O.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export function referencePath(...parts: string[]): string {
  const root = process.env.CAUSEWAY_REFERENCE_DIR ?? path.resolve(repoRoot, '..', 'shared', 'reference');
  return path.join(root, ...parts);
}

/** Parses a small R-written CSV (quoted strings, NA) into rows of strings keyed by header. */
export function readReferenceCsv(...parts: string[]): Record<string, string>[] {
  const text = readFileSync(referencePath(...parts), 'utf8');
  const lines = text.split(/\r?\n/).filter((line) => line.length > 0);
  const split = (line: string): string[] => {
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') {
          cell += '"';
          i++;
        } else if (ch === '"') quoted = false;
        else cell += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') {
        cells.push(cell);
        cell = '';
      } else cell += ch;
    }
    cells.push(cell);
    return cells;
  };
  const header = split(lines[0]!);
  return lines.slice(1).map((line) => {
    const cells = split(line);
    return Object.fromEntries(header.map((name, i) => [name, cells[i] ?? '']));
  });
}

export function readReferenceJson<T = unknown>(...parts: string[]): T {
  return JSON.parse(readFileSync(referencePath(...parts), 'utf8')) as T;
}

/** R's NA becomes NaN; everything else is parsed as a number. */
export function num(value: string | undefined): number {
  return value === undefined || value === 'NA' || value === '' ? Number.NaN : Number(value);
}
