/**
 * Keyset (seek) pagination for lists ordered newest first by (timestamp, id): a page is
 * `WHERE (ts, id) < (cursor) ORDER BY ts DESC, id DESC LIMIT n + 1`, so a page costs the same
 * however deep it is and rows added before the cursor never shift later pages.
 * The cursor carries the timestamp as PostgreSQL prints it (`ts::text`, microseconds): a
 * JavaScript Date keeps only milliseconds, and a truncated cursor would skip rows.
 */
import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { AppError } from '../errors/app-error';

export interface KeysetPage {
  limit: number;
  /** The opaque cursor of the previous page (`nextCursor`). */
  cursor?: string;
}

export interface KeysetResult<T> {
  data: T[];
  nextCursor: string | null;
}

const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function decodeCursor(cursor: string): { at: string; id: string } {
  const [at, id, extra] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (at === undefined || id === undefined || extra !== undefined || !TIMESTAMP_TEXT.test(at) || !UUID.test(id)) {
    throw new AppError('BAD_REQUEST', 'The cursor is not valid; pass a `nextCursor` from a previous page, or start again without one.', { problemCode: 'INVALID_CURSOR' });
  }
  return { at, id };
}

/** The select field that carries the cursor timestamp. */
export const cursorKey = (timestamp: AnyColumn): SQL<string> => sql<string>`${timestamp}::text`;

/** The WHERE condition of the page after `cursor` (undefined for the first page). */
export function afterCursor(timestamp: AnyColumn, id: AnyColumn, cursor: string | undefined): SQL | undefined {
  if (cursor === undefined) return undefined;
  const after = decodeCursor(cursor);
  return sql`(${timestamp}, ${id}) < (${after.at}::timestamptz, ${after.id}::uuid)`;
}

/** Splits the `limit + 1` rows a page query fetched into the page and the next cursor. */
export function keysetResult<T extends { id: string; cursorKey: string }>(rows: T[], limit: number): KeysetResult<Omit<T, 'cursorKey'>> {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    data: page.map(({ cursorKey: _key, ...row }) => row),
    nextCursor: rows.length > limit && last ? Buffer.from(`${last.cursorKey}|${last.id}`, 'utf8').toString('base64url') : null,
  };
}
