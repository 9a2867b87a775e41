// Why one attempt failed, and whether another attempt may succeed.
// Connection errors, stalls, truncated bodies and 5xx are transient; 4xx and digest mismatches are not.
export class TransferError extends Error {
  readonly retryable: boolean;
  readonly status: number | undefined;

  constructor(message: string, options: { retryable: boolean; status?: number; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TransferError';
    this.retryable = options.retryable;
    this.status = options.status;
  }
}

// Name resolution that fails outright will fail again; everything else at the socket level is worth a retry.
const permanentCodes = new Set(['ENOTFOUND', 'ERR_INVALID_URL', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID']);

export function fromSocketError(error: unknown): TransferError {
  if (error instanceof TransferError) return error;
  const e = error as NodeJS.ErrnoException;
  const code = e?.code ?? 'error';
  return new TransferError(`${code}: ${e?.message ?? String(error)}`, { retryable: !permanentCodes.has(code), cause: error });
}

export function fromStatus(status: number, url: URL): TransferError {
  return new TransferError(`HTTP ${status} from ${url.href}`, { retryable: status >= 500 || status === 408 || status === 429, status });
}
