import { apiError } from './problem';

/** The query string as an object, for a strict zod schema (a repeated parameter is refused). */
export function queryObject(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of url.searchParams) {
    if (name in out) throw apiError('BAD_REQUEST', 'VALIDATION_FAILED', `The query parameter “${name}” is given twice.`);
    out[name] = value;
  }
  return out;
}
