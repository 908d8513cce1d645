/**
 * RFC 9457 problem+json for the public API. Every refusal carries a stable `code` that clients
 * can branch on: the AppError code, or a finer one the service put in `details.problemCode`
 * (API_KEY_REVOKED, INSUFFICIENT_SCOPE, …). Validation failures list each problem in `errors`.
 * Anything that is not an AppError or ZodError is a 500 with a generic message; its details go to
 * the log only.
 */
import { ZodError } from 'zod';
import { AppError, errorCodes } from '../errors/app-error';
import { logger } from '../logger';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
};

export function problemJson(error: unknown, instance: string, headers: HeadersInit = {}): Response {
  let status = 500;
  let code = 'INTERNAL';
  let detail = 'Something went wrong on our side. Please try again.';
  let extra: Record<string, unknown> = {};
  if (error instanceof AppError && error.code !== 'INTERNAL') {
    status = errorCodes[error.code].http;
    code = typeof error.details.problemCode === 'string' ? error.details.problemCode : error.code;
    detail = error.message;
    if (Array.isArray(error.details.errors)) extra = { errors: error.details.errors };
    if (typeof error.details.requiredScope === 'string') extra = { requiredScope: error.details.requiredScope };
  } else if (error instanceof ZodError) {
    status = 400;
    code = 'VALIDATION_FAILED';
    detail = error.issues[0]?.message ?? 'The request is not valid.';
    extra = { errors: zodErrors(error) };
  } else {
    logger.error('public API request failed', { instance, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
  const body = { type: `https://causeway.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`, title: TITLES[status] ?? 'Error', status, detail, code, instance, ...extra };
  const responseHeaders = new Headers(headers);
  responseHeaders.set('content-type', 'application/problem+json');
  return new Response(JSON.stringify(body), { status, headers: responseHeaders });
}

export function zodErrors(error: ZodError): { path: string; message: string }[] {
  return error.issues.slice(0, 20).map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

/** An AppError with a finer, stable problem code. */
export const apiError = (code: ConstructorParameters<typeof AppError>[0], problemCode: string, message: string, details: Record<string, unknown> = {}) =>
  new AppError(code, message, { ...details, problemCode });

/** The answer to a path under /api/v1 that is no endpoint. */
export const noSuchEndpoint = (instance: string): Response =>
  problemJson(apiError('NOT_FOUND', 'NO_SUCH_ENDPOINT', 'There is no such endpoint in the Causeway API (v1).'), instance);
