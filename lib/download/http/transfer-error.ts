// Why one attempt failed, and whether another attempt may succeed.
// Connection errors, stalls, truncated bodies and 5xx are transient; 4xx, protocol violations and
// digest mismatches are not.
import { shownUrl } from '../source-url.js';
import { shownProxy, type Proxy } from './proxy-env.js';

export class TransferError extends Error {
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly proxy: string | undefined; // the proxy failed, not the server: the variable that named it (HTTPS_PROXY)

  constructor(message: string, options: { retryable: boolean; status?: number; proxy?: string; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TransferError';
    this.retryable = options.retryable;
    this.status = options.status;
    this.proxy = options.proxy;
  }
}

// Name resolution that fails outright will fail again, as will a certificate or a TLS handshake
// (ERR_SSL_*); everything else at the socket level is worth a retry.
const permanentCodes = new Set(['ENOTFOUND', 'ERR_INVALID_URL', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID']);
// What OpenSSL says when the other end speaks plain HTTP.
const plainHttpCodes = new Set(['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_HTTP_REQUEST', 'ERR_SSL_PACKET_LENGTH_TOO_LONG']);

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
  if (proxy) return new TransferError(`cannot use ${shownProxy(proxy)}: ${message}`, { retryable: !permanentCodes.has(code), proxy: proxy.from, cause: error });
  return new TransferError(message, { retryable: !permanentCodes.has(code), cause: error });
}

// `proxy`: the request went through this proxy (plain http), which may have answered for the server.
export function fromStatus(status: number, url: URL, proxy?: string): TransferError {
  const through = proxy ? ` (through ${proxy})` : '';
  return new TransferError(`HTTP ${status} from ${shownUrl(url)}${through}`, { retryable: status >= 500 || status === 408 || status === 429, status });
}
