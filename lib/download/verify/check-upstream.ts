// The expected digest of an artifact, from SHA256SUMS in its directory (upstream's, or a mirror's),
// trusted only once its signature is (signed-sums.ts). With the validators of the last fetch it is a
// conditional GET: 304 means nothing changed — a SHA256SUMS verified before — and costs a few
// hundred bytes.
import { ExitCode, KubenetError } from '../../errors.js';
import { TransferError } from '../http/transfer-error.js';
import type { RequestOptions } from '../http/client.js';
import { getSource } from '../transfer/source.js';
import type { Validators } from '../records.js';
import { digestIn } from './sha256sums.js';
import { shownUrl } from '../source-url.js';
import { fromStatus } from '../http/transfer-error.js';
import { bodyOf, checkSignature, type SignatureCheck } from './signed-sums.js';
import type { SignatureRecord } from './signature-policy.js';

export type SumsCheck = { notModified: true } | { notModified: false; sha256: string; validators: Validators; signature: SignatureRecord };

export async function checkSums(sumsUrl: URL, fileName: string, known: Validators | undefined, options: RequestOptions & { signal?: AbortSignal; signature: SignatureCheck }): Promise<SumsCheck> {
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
  const sha256 = digestIn(sums.toString('utf8'), fileName, shownUrl(sumsUrl));
  if (!sha256) {
    throw new KubenetError(`${shownUrl(sumsUrl)} lists no digest for ${fileName}`, {
      code: ExitCode.download,
      hint: 'Upstream may have renamed the image; check the URL in a browser, or try again later if the directory is being updated.',
    });
  }
  return { notModified: false, sha256, validators: validatorsOf(response.headers), signature };
}

export function validatorsOf(headers: Record<string, string>): Validators {
  const validators: Validators = {};
  if (headers.etag) validators.etag = headers.etag;
  if (headers['last-modified']) validators.lastModified = headers['last-modified'];
  return validators;
}

// With a verified copy here, upstream gets one short chance (`checkMs` for the whole check, no
// retry): a server that does not answer costs seconds, not minutes. Undefined: use the copy.
export async function checkOnce(sumsUrl: URL, name: string, known: Validators | undefined, request: RequestOptions, { signal, checkMs, log, signature }: { signal: AbortSignal; checkMs: number; log?: (line: string) => void; signature: SignatureCheck }): Promise<SumsCheck | undefined> {
  const timeUp = AbortSignal.timeout(checkMs);
  try {
    return await checkSums(sumsUrl, name, known, { ...request, signal: AbortSignal.any([signal, timeUp]), signature });
  } catch (error) {
    if (signal.aborted) throw new KubenetError(`interrupted while checking ${shownUrl(sumsUrl)}`, { code: ExitCode.interrupted, cause: error });
    if (!(error instanceof TransferError)) throw error;
    const why = timeUp.aborted ? `no answer from ${shownUrl(sumsUrl)} within ${checkMs / 1000} s` : error.message;
    log?.(`${name}: could not check upstream (${why}); using the verified copy in the cache`);
    return undefined;
  }
}
