// The expected digest of an artifact, from SHA256SUMS in its directory (upstream's, or a mirror's).
// With the validators of the last fetch it is a conditional GET: 304 means nothing changed and
// costs a few hundred bytes.
import { ExitCode, KubenetError } from '../../errors.js';
import { TransferError } from '../http/transfer-error.js';
import type { RequestOptions } from '../http/client.js';
import { getSource } from '../transfer/source.js';
import type { Validators } from '../records.js';
import { digestOf, parseSha256Sums } from './sha256sums.js';
import { shownUrl } from '../source-url.js';
import { fromStatus } from '../http/transfer-error.js';

export type SumsCheck = { notModified: true } | { notModified: false; sha256: string; validators: Validators };

// One source's SHA256SUMS, fetched and read: every name it lists with its digests. The one place
// a SHA256SUMS comes off the network — what vouches for it (a signature beside it) is checked here.
export type SumsListing = { notModified: true } | { notModified: false; listing: Map<string, string[]>; validators: Validators };

export async function fetchSums(sumsUrl: URL, known: Validators | undefined, options: RequestOptions & { signal?: AbortSignal }): Promise<SumsListing> {
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
  return { notModified: false, listing: parseSha256Sums(await response.text()), validators: validatorsOf(response.headers) };
}

// The digest SHA256SUMS lists for one file.
export async function checkSums(sumsUrl: URL, fileName: string, known: Validators | undefined, options: RequestOptions & { signal?: AbortSignal }): Promise<SumsCheck> {
  const sums = await fetchSums(sumsUrl, known, options);
  if (sums.notModified) return sums;
  const sha256 = digestOf(sums.listing, fileName, shownUrl(sumsUrl));
  if (!sha256) {
    throw new KubenetError(`${shownUrl(sumsUrl)} lists no digest for ${fileName}`, {
      code: ExitCode.download,
      hint: 'Upstream may have renamed the image; check the URL in a browser, or try again later if the directory is being updated.',
    });
  }
  return { notModified: false, sha256, validators: sums.validators };
}

export function validatorsOf(headers: Record<string, string>): Validators {
  const validators: Validators = {};
  if (headers.etag) validators.etag = headers.etag;
  if (headers['last-modified']) validators.lastModified = headers['last-modified'];
  return validators;
}

// With a verified copy here, upstream gets one short chance (`checkMs` for the whole check, no
// retry): a server that does not answer costs seconds, not minutes. Undefined: use the copy.
export async function checkOnce(sumsUrl: URL, name: string, known: Validators | undefined, request: RequestOptions, { signal, checkMs, log }: { signal: AbortSignal; checkMs: number; log?: (line: string) => void }): Promise<SumsCheck | undefined> {
  const timeUp = AbortSignal.timeout(checkMs);
  try {
    return await checkSums(sumsUrl, name, known, { ...request, signal: AbortSignal.any([signal, timeUp]) });
  } catch (error) {
    if (signal.aborted) throw new KubenetError(`interrupted while checking ${shownUrl(sumsUrl)}`, { code: ExitCode.interrupted, cause: error });
    if (!(error instanceof TransferError)) throw error;
    const why = timeUp.aborted ? `no answer from ${shownUrl(sumsUrl)} within ${checkMs / 1000} s` : error.message;
    log?.(`${name}: could not check upstream (${why}); using the verified copy in the cache`);
    return undefined;
  }
}
