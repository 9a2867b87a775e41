// Why one attempt failed, and whether another attempt may succeed.
// Connection errors, stalls, truncated bodies and 5xx are transient; 4xx, protocol violations and
// digest mismatches are not.
import { shownUrl } from '../source-url.js';
import { shownProxy, type Proxy } from './proxy-env.js';

// The four ways a host cannot be reached at all, before any HTTP: no address for its name, no
// route to the address, nothing listening there, no answer in time.
export type Unreachable = 'dns' | 'route' | 'refused' | 'timeout';

export class TransferError extends Error {
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly proxy: string | undefined; // the proxy failed, not the server: the variable that named it (HTTPS_PROXY)
  readonly reach: { host: string; how: Unreachable; why: string } | undefined; // the host could not be reached
  readonly gaveUp: string | undefined; // why the retries stopped: "gave up after 5 retries without progress"

  constructor(
    message: string,
    options: {
      retryable: boolean;
      status?: number;
      proxy?: string;
      reach?: TransferError['reach'];
      gaveUp?: string;
      cause?: unknown;
    },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TransferError';
    this.retryable = options.retryable;
    this.status = options.status;
    this.proxy = options.proxy;
    this.reach = options.reach;
    this.gaveUp = options.gaveUp;
  }
}

// The same failure with a new message (a retry loop's verdict, a redirect's origin), all else kept.
export const restated = (
  error: TransferError,
  message: string,
  cause: unknown = error,
  gaveUp = error.gaveUp,
): TransferError =>
  new TransferError(message, {
    retryable: error.retryable,
    status: error.status,
    proxy: error.proxy,
    reach: error.reach,
    ...(gaveUp ? { gaveUp } : {}),
    cause,
  });

// A certificate or a TLS handshake (ERR_SSL_*) that fails will fail again; so does a host with no
// address or no route (a machine offline: retrying for half a minute would only delay saying so).
// A refused connection or a reset is worth a retry (a server restarting).
const permanentCodes = new Set([
  'ERR_INVALID_URL',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const unreachableCodes: Record<string, { how: Unreachable; why: string; retryable: boolean }> = {
  ENOTFOUND: { how: 'dns', why: 'no DNS answer', retryable: false },
  EAI_AGAIN: { how: 'dns', why: 'no DNS answer', retryable: false },
  EAI_FAIL: { how: 'dns', why: 'no DNS answer', retryable: false },
  EAI_NODATA: { how: 'dns', why: 'no DNS answer', retryable: false },
  ENETUNREACH: { how: 'route', why: 'no route to it (network unreachable)', retryable: false },
  EHOSTUNREACH: { how: 'route', why: 'no route to it (host unreachable)', retryable: false },
  ENETDOWN: { how: 'route', why: 'no route to it (the network is down)', retryable: false },
  ECONNREFUSED: { how: 'refused', why: 'connection refused (nothing listens there)', retryable: true },
};
// What OpenSSL says when the other end speaks plain HTTP.
const plainHttpCodes = new Set([
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_HTTP_REQUEST',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
]);

// `proxy`: the connection that failed was the one to this proxy.
export function fromSocketError(error: unknown, url: URL, proxy?: Proxy): TransferError {
  if (error instanceof TransferError) return error;
  const e = error as NodeJS.ErrnoException & { reason?: string };
  const code = e?.code ?? 'error';
  if (code.startsWith('ERR_SSL_')) {
    const why = plainHttpCodes.has(code) ? 'the server answered in plain HTTP, not TLS' : (e.reason ?? code);
    return new TransferError(`TLS handshake with ${url.host} failed: ${why}`, { retryable: false, cause: error });
  }
  const message = `${code}: ${e?.message ?? String(error)}`;
  const unreachable = unreachableCodes[code];
  const retryable = unreachable?.retryable ?? !permanentCodes.has(code);
  if (proxy)
    return new TransferError(`cannot use ${shownProxy(proxy)}: ${message}`, {
      retryable,
      proxy: proxy.from,
      cause: error,
    });
  if (unreachable) {
    const reach = { host: url.host, how: unreachable.how, why: unreachable.why };
    return new TransferError(`cannot reach ${reach.host}: ${reach.why} (${code})`, { retryable, reach, cause: error });
  }
  return new TransferError(message, { retryable, cause: error });
}

// `proxy`: the request went through this proxy (plain http), which may have answered for the server.
export function fromStatus(status: number, url: URL, proxy?: string): TransferError {
  const through = proxy ? ` (through ${proxy})` : '';
  return new TransferError(`HTTP ${status} from ${shownUrl(url)}${through}`, {
    retryable: status >= 500 || status === 408 || status === 429,
    status,
  });
}
