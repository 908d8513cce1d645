/**
 * RFC 9457 problem+json for HTTP route handlers. AppError codes map through the one table in
 * app-error.ts; anything else is a 500 whose details stay in the log.
 */
import { ZodError } from 'zod';
import { logger } from '../logger';
import { AppError, errorCodes } from './app-error';

export function problemResponse(error: unknown, instance?: string): Response {
  let status = 500;
  let code = 'INTERNAL';
  let detail = 'Something went wrong on our side. Please try again.';
  if (error instanceof AppError) {
    status = errorCodes[error.code].http;
    code = error.code;
    detail = error.message;
  } else if (error instanceof ZodError) {
    status = 400;
    code = 'BAD_REQUEST';
    detail = error.issues[0]?.message ?? 'Invalid request.';
  } else {
    logger.error('request failed', { instance, error: String(error) });
  }
  return Response.json(
    { type: `https://causeway.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`, title: code.replace(/_/g, ' ').toLowerCase(), status, detail, code, instance },
    { status, headers: { 'content-type': 'application/problem+json' } },
  );
}
