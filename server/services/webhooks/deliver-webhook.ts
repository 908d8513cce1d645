/**
 * One webhook delivery attempt: a POST to the endpoint, over node:http / node:https directly so
 * that every safety property is ours to set and to test:
 *
 * - it connects to `address`, the IP that `resolveDeliveryAddress` checked, and never resolves
 *   the name again (no DNS rebinding between the check and the connection); the Host header and
 *   the TLS server name (SNI and certificate check) still come from the URL;
 * - redirects are not followed (a 3xx could point anywhere, including inside our network);
 * - one total timeout covers connecting, TLS and waiting for the response;
 * - at most `maxResponseBytes` of the response are read (the rest is discarded unread);
 * - no connection pooling (`agent: false`): each attempt gets a fresh, pinned connection;
 * - it never throws: every outcome is a result the job can log.
 *
 * No database, no environment: the caller (the delivery job) passes everything in.
 */
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { StringDecoder } from 'node:string_decoder';
import { AppError } from '../../errors/app-error';
import { type HostLookup, parseWebhookUrl, resolveDeliveryAddress } from './webhook-url';

export const WEBHOOK_USER_AGENT = 'Causeway-Webhooks/1';
export const DEFAULT_MAX_RESPONSE_BYTES = 4096;

export type WebhookDeliveryErrorCode =
  | 'timeout'
  | 'connection_refused'
  | 'connection_reset'
  | 'unreachable'
  | 'tls'
  | 'redirect'
  | 'http_status'
  | 'invalid_response'
  /** The attempt was never sent: bad URL, address, timeout or header value (do not retry). */
  | 'invalid_request'
  /** The host did not resolve (may be temporary: retry). */
  | 'dns'
  /** The host resolves to a non-public address and private addresses are not allowed (do not retry). */
  | 'address_refused'
  | 'network';

export interface WebhookDeliveryResult {
  /** True for a 2xx answer. */
  ok: boolean;
  /** The HTTP status, or null when no response arrived. */
  status: number | null;
  durationMs: number;
  /** The first `maxResponseBytes` of the response body, as UTF-8 (for the attempt log). */
  responseSnippet: string;
  /** True when the response body was longer than `maxResponseBytes`. */
  responseTruncated: boolean;
  /** Why the attempt failed, in words for the attempt log; null when ok. */
  error: string | null;
  errorCode: WebhookDeliveryErrorCode | null;
}

export interface DeliverWebhookInput {
  url: URL | string;
  /** The IP address to connect to, as returned by `resolveDeliveryAddress` for this URL. */
  address: string;
  /** The JSON body, sent as is (it is what was signed). */
  body: string;
  /** Extra headers: the Causeway-* headers. Host, Content-Type, Content-Length, User-Agent are ours. */
  headers?: Record<string, string>;
  /**
   * Total time for connect + TLS + the response. When it runs out before the status line, the
   * attempt timed out; after it, the status decides and the body read so far is kept.
   */
  timeoutMs: number;
  maxResponseBytes?: number;
  /**
   * Trusted CA certificates (PEM) replacing the default roots. For tests with a self-signed
   * certificate; production leaves it unset.
   */
  ca?: string | Buffer | (string | Buffer)[];
}

const RESERVED_HEADERS = new Set(['host', 'content-type', 'content-length', 'user-agent', 'transfer-encoding', 'connection']);

const TLS_MESSAGES: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'the certificate chain ends in a self-signed certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the certificate could not be verified (incomplete chain?)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the certificate’s issuer is not trusted',
  CERT_HAS_EXPIRED: 'the certificate has expired',
  CERT_NOT_YET_VALID: 'the certificate is not valid yet',
  CERT_REVOKED: 'the certificate has been revoked',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate does not match the host name',
  EPROTO: 'the TLS handshake failed (is the endpoint really serving https?)',
};

/** `200 ms`, `1.5 s`, `10 s`. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}

function describeNetworkError(error: unknown): { error: string; errorCode: WebhookDeliveryErrorCode } {
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : '';
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'ECONNREFUSED':
      return { error: 'connection refused', errorCode: 'connection_refused' };
    case 'ECONNRESET':
    case 'EPIPE':
      return { error: 'connection closed by the endpoint before it answered', errorCode: 'connection_reset' };
    case 'EHOSTUNREACH':
      return { error: 'host unreachable', errorCode: 'unreachable' };
    case 'ENETUNREACH':
      return { error: 'network unreachable', errorCode: 'unreachable' };
    case 'ETIMEDOUT':
      return { error: 'connection timed out', errorCode: 'timeout' };
  }
  const tls = TLS_MESSAGES[code];
  if (tls !== undefined) return { error: `TLS error: ${tls}`, errorCode: 'tls' };
  if (code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || /certificate/i.test(message)) return { error: `TLS error: ${message}`, errorCode: 'tls' };
  if (code.startsWith('HPE_')) return { error: `invalid HTTP response (${message})`, errorCode: 'invalid_response' };
  return { error: message || 'network error', errorCode: 'network' };
}

type Outcome = Pick<WebhookDeliveryResult, 'ok' | 'status' | 'error' | 'errorCode'>;

/** Sends one delivery attempt. Never throws and never rejects. */
export function deliverWebhook(input: DeliverWebhookInput): Promise<WebhookDeliveryResult> {
  const started = performance.now();
  const maxResponseBytes = input.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;

  return new Promise<WebhookDeliveryResult>((resolve) => {
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let request: http.ClientRequest | undefined;
    let response: http.IncomingMessage | undefined;
    const chunks: Buffer[] = [];
    let received = 0;
    let truncated = false;

    const finish = (outcome: Outcome): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      const bytes = Buffer.concat(chunks, received);
      const decoder = new StringDecoder('utf8');
      // A truncated body may end inside a multi-byte character: `write` holds it back.
      const responseSnippet = truncated ? decoder.write(bytes) : decoder.write(bytes) + decoder.end();
      resolve({ ...outcome, durationMs: Math.round(performance.now() - started), responseSnippet, responseTruncated: truncated });
      response?.destroy();
      request?.destroy();
    };
    const invalid = (error: string): void => finish({ ok: false, status: null, error, errorCode: 'invalid_request' });

    /** The response is complete, cut off at the byte limit, or ended early: judge it by its status. */
    const complete = (): void => {
      const status = response?.statusCode ?? 0;
      if (status >= 200 && status < 300) return finish({ ok: true, status, error: null, errorCode: null });
      if (status >= 300 && status < 400) {
        const location = response?.headers.location;
        const to = typeof location === 'string' && location !== '' ? ` to ${location.slice(0, 200)}` : '';
        return finish({ ok: false, status, error: `the endpoint answered ${status} (a redirect${to}); redirects are not followed`, errorCode: 'redirect' });
      }
      const reason = response?.statusMessage ? ` ${response.statusMessage}` : '';
      return finish({ ok: false, status, error: `the endpoint answered ${status}${reason}`, errorCode: 'http_status' });
    };

    try {
      let url: URL;
      try {
        url = typeof input.url === 'string' ? new URL(input.url) : input.url;
      } catch {
        return invalid('the webhook URL is not a valid URL');
      }
      const isHttps = url.protocol === 'https:';
      if (!isHttps && url.protocol !== 'http:') return invalid(`the webhook URL must be http(s), not ${url.protocol}`);
      const family = isIP(input.address);
      if (family !== 4 && family !== 6) return invalid(`“${input.address}” is not an IP address to connect to`);
      if (!(Number.isFinite(input.timeoutMs) && input.timeoutMs > 0)) return invalid('the delivery timeout must be a positive number of milliseconds');
      if (!(Number.isSafeInteger(maxResponseBytes) && maxResponseBytes >= 0)) return invalid('maxResponseBytes must be a whole number, 0 or more');

      const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
      const headers: Record<string, string | number> = {};
      for (const [name, value] of Object.entries(input.headers ?? {})) {
        if (!RESERVED_HEADERS.has(name.toLowerCase())) headers[name] = value;
      }
      headers['Host'] = url.host;
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = Buffer.byteLength(input.body, 'utf8');
      headers['User-Agent'] = WEBHOOK_USER_AGENT;

      // `host` is the checked IP, so Node connects there without any DNS. The lookup below is a
      // second lock: should a code path ever look the name up, it gets the same address.
      const pinnedLookup: LookupFunction = (_name, options, callback) => {
        if (options.all) callback(null, [{ address: input.address, family }]);
        else callback(null, input.address, family);
      };

      const options: https.RequestOptions = {
        host: input.address,
        family,
        port: url.port === '' ? (isHttps ? 443 : 80) : Number(url.port),
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers,
        agent: false,
        lookup: pinnedLookup,
      };
      if (isHttps) {
        // SNI and the certificate check use the URL's name; an IP literal is sent no SNI (RFC 6066)
        // and the certificate is then checked against the IP.
        options.servername = isIP(hostname) === 0 ? hostname : '';
        options.rejectUnauthorized = true;
        if (input.ca !== undefined) options.ca = input.ca;
      }

      timer = setTimeout(() => {
        // After the status line arrived, a slow body does not turn an answer into a failure.
        if (response !== undefined) return complete();
        finish({ ok: false, status: null, error: `timed out after ${formatDuration(input.timeoutMs)}`, errorCode: 'timeout' });
      }, input.timeoutMs);

      request = (isHttps ? https : http).request(options, (res) => {
        response = res;
        res.on('data', (chunk: Buffer) => {
          const room = maxResponseBytes - received;
          if (chunk.length > room) {
            if (room > 0) chunks.push(chunk.subarray(0, room));
            received += Math.max(room, 0);
            truncated = true;
            return complete();
          }
          chunks.push(chunk);
          received += chunk.length;
        });
        res.on('end', complete);
        // The body ended early (reset, aborted): the status line is still the answer.
        res.on('error', complete);
        res.on('close', complete);
      });
      request.on('error', (error) => {
        if (response !== undefined) return complete();
        finish({ ok: false, status: null, ...describeNetworkError(error) });
      });
      request.end(input.body, 'utf8');
    } catch (error) {
      // http.request throws synchronously on invalid header names or values.
      invalid(`the request could not be sent: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
}

export interface ResolveAndDeliverInput extends Omit<DeliverWebhookInput, 'address'> {
  /** Accept http:// URLs (tests, local development). */
  allowHttp: boolean;
  /** Accept non-public addresses (tests, local development). */
  allowPrivate: boolean;
  lookup?: HostLookup;
}

/**
 * What the delivery job calls: checks the URL, resolves and checks its address, then delivers
 * to that address, all within `timeoutMs`. Never throws; a refused URL or address and a DNS
 * failure become results (errorCode 'invalid_request', 'address_refused', 'dns') that the job
 * logs like any other attempt. `address` is what was connected to (null when nothing was).
 */
export async function resolveAndDeliverWebhook(input: ResolveAndDeliverInput): Promise<WebhookDeliveryResult & { address: string | null }> {
  const started = performance.now();
  const early = (error: string, errorCode: WebhookDeliveryErrorCode) => ({
    ok: false,
    status: null,
    durationMs: Math.round(performance.now() - started),
    responseSnippet: '',
    responseTruncated: false,
    error,
    errorCode,
    address: null,
  });
  if (!(Number.isFinite(input.timeoutMs) && input.timeoutMs > 0)) return early('the delivery timeout must be a positive number of milliseconds', 'invalid_request');

  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const url = parseWebhookUrl(String(input.url), { allowHttp: input.allowHttp });
    const resolved = await Promise.race([
      resolveDeliveryAddress(url, { allowPrivate: input.allowPrivate, lookup: input.lookup }),
      new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), input.timeoutMs);
      }),
    ]);
    if (resolved === 'timeout') return early(`timed out after ${formatDuration(input.timeoutMs)} resolving ${url.hostname}`, 'timeout');
    const remaining = Math.max(1, input.timeoutMs - (performance.now() - started));
    const result = await deliverWebhook({ ...input, url, address: resolved.address, timeoutMs: remaining });
    // The timeout message names the whole budget, not what was left of it after DNS.
    const error = result.errorCode === 'timeout' && result.status === null ? `timed out after ${formatDuration(input.timeoutMs)}` : result.error;
    return { ...result, error, durationMs: Math.round(performance.now() - started), address: resolved.address };
  } catch (error) {
    if (error instanceof AppError) {
      const reason = error.details.reason;
      return early(error.message, reason === 'non_public_address' ? 'address_refused' : reason === 'dns_failed' ? 'dns' : 'invalid_request');
    }
    return early(error instanceof Error ? error.message : String(error), 'network');
  } finally {
    clearTimeout(timer);
  }
}
