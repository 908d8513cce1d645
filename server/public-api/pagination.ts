/**
 * Cursor pagination over a list in the order the service returns it. The cursor is the opaque
 * (base64url) id of the last item of the previous page, so a page boundary does not move when
 * items are added before it.
 * The services return a tenant's full list (datasets and studies are counted in hundreds, not
 * millions); when they grow, the same cursor can move into the query as a keyset condition.
 */
import { apiError } from './problem';

export function paginate<T extends { id: string }>(items: T[], query: { limit: number; cursor?: string }): { data: T[]; nextCursor: string | null } {
  let start = 0;
  if (query.cursor !== undefined) {
    const after = Buffer.from(query.cursor, 'base64url').toString('utf8');
    const index = items.findIndex((item) => item.id === after);
    if (index < 0) throw apiError('BAD_REQUEST', 'INVALID_CURSOR', 'The cursor is not valid (or its item no longer exists); start again without one.');
    start = index + 1;
  }
  const data = items.slice(start, start + query.limit);
  const last = data.at(-1);
  return { data, nextCursor: last && start + query.limit < items.length ? Buffer.from(last.id, 'utf8').toString('base64url') : null };
}

/** The query string as an object, for a strict zod schema (a repeated parameter is refused). */
export function queryObject(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of url.searchParams) {
    if (name in out) throw apiError('BAD_REQUEST', 'VALIDATION_FAILED', `The query parameter “${name}” is given twice.`);
    out[name] = value;
  }
  return out;
}
