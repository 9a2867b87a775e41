// The expected digest of an artifact, from SHA256SUMS in its directory (upstream's, or a mirror's),
// trusted only once its signature is (signed-sums.ts). With the validators of the last fetch it is a
// conditional GET: 304 means nothing changed — a SHA256SUMS verified before — and costs a few
// hundred bytes.
import { ExitCode, KubenetError } from '../../errors.js';
import { TransferError } from '../http/transfer-error.js';
import type { RequestOptions } from '../http/client.js';
import { getSource } from '../transfer/source.js';
import type { Validators } from '../records.js';
import { digestOf, parseSha256Sums } from './sha256sums.js';
import { shownUrl } from '../source-url.js';
import { fromStatus } from '../http/transfer-error.js';
import { bodyOf, checkSignature, type SignatureCheck } from './signed-sums.js';
import type { SignatureRecord } from './signature-policy.js';

export type SumsCheck =
  | { notModified: true }
  | { notModified: false; sha256: string; validators: Validators; signature: SignatureRecord };

// One source's SHA256SUMS, fetched, its signature checked (signed-sums.ts), and read: every name
// it lists with its digests. The one place a SHA256SUMS comes off the network.
export type SumsListing =
  | { notModified: true }
  | { notModified: false; listing: Map<string, string[]>; validators: Validators; signature: SignatureRecord };

export async function fetchSums(
  sumsUrl: URL,
  known: Validators | undefined,
  options: RequestOptions & { signal?: AbortSignal; signature: SignatureCheck },
): Promise<SumsListing> {
  const headers: Record<string, string> = {};
  if (known?.etag) headers['If-None-Match'] = known.etag;
  if (known?.lastModified) headers['If-Modified-Since'] = known.lastModified;
  const response = await getSource(sumsUrl, { ...options, headers });
  if (response.status === 304 && known) {
    response.close();
    return { notModified: true };
  }
  if (response.status !== 200) {
    response.close();
    throw fromStatus(response.status, response.url, response.proxy);
  }
  const sums = await bodyOf(response, shownUrl(sumsUrl), 1 << 20);
  const { signature: check, ...request } = options;
  const signature = await checkSignature(sumsUrl, sums, check, request);
  return {
    notModified: false,
    listing: parseSha256Sums(sums.toString('utf8')),
    validators: validatorsOf(response.headers),
    signature,
  };
}

// The digest SHA256SUMS lists for one file.
export async function checkSums(
  sumsUrl: URL,
  fileName: string,
  known: Validators | undefined,
  options: RequestOptions & { signal?: AbortSignal; signature: SignatureCheck },
): Promise<SumsCheck> {
  const sums = await fetchSums(sumsUrl, known, options);
  if (sums.notModified) return sums;
  const sha256 = digestOf(sums.listing, fileName, shownUrl(sumsUrl));
  if (!sha256) {
    throw new KubenetError(`${shownUrl(sumsUrl)} lists no digest for ${fileName}`, {
      code: ExitCode.download,
      hint:
        'Upstream may have renamed the image; check the URL in a ' +
        'browser, or try again later if the directory is being updated.',
    });
  }
  return { notModified: false, sha256, validators: sums.validators, signature: sums.signature };
}

export function validatorsOf(headers: Record<string, string>): Validators {
  const validators: Validators = {};
  if (headers.etag) validators.etag = headers.etag;
  if (headers['last-modified']) validators.lastModified = headers['last-modified'];
  return validators;
}

// With a verified copy here, upstream gets one short chance (`checkMs` for the whole check, no
// retry): a server that does not answer costs seconds, not minutes. Undefined: use the copy.
export async function checkOnce(
  sumsUrl: URL,
  name: string,
  known: Validators | undefined,
  request: RequestOptions,
  {
    signal,
    checkMs,
    log,
    signature,
  }: { signal: AbortSignal; checkMs: number; log?: (line: string) => void; signature: SignatureCheck },
): Promise<SumsCheck | undefined> {
  const timeUp = AbortSignal.timeout(checkMs);
  try {
    return await checkSums(sumsUrl, name, known, { ...request, signal: AbortSignal.any([signal, timeUp]), signature });
  } catch (error) {
    if (signal.aborted)
      throw new KubenetError(`interrupted while checking ${shownUrl(sumsUrl)}`, {
        code: ExitCode.interrupted,
        cause: error,
      });
    if (!(error instanceof TransferError)) throw error;
    const why = timeUp.aborted ? `no answer from ${shownUrl(sumsUrl)} within ${checkMs / 1000} s` : error.message;
    log?.(`${name}: could not check upstream (${why}); using the verified copy in the cache`);
    return undefined;
  }
}
