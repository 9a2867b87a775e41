// The expected digest of an artifact, from SHA256SUMS in its directory. With the validators of the
// last fetch it is a conditional GET: 304 means nothing changed and costs a few hundred bytes.
import { ExitCode, KubenetError } from '../errors.js';
import { httpGetFollowing } from './redirects.js';
import type { Validators } from './records.js';
import { parseSha256Sums } from './sha256sums.js';
import { fromStatus } from './transfer-error.js';

export type SumsCheck = { notModified: true } | { notModified: false; sha256: string; validators: Validators };

export async function checkSums(sumsUrl: URL, fileName: string, known: Validators | undefined, options: { signal?: AbortSignal; idleMs: number }): Promise<SumsCheck> {
  const headers: Record<string, string> = {};
  if (known?.etag) headers['If-None-Match'] = known.etag;
  if (known?.lastModified) headers['If-Modified-Since'] = known.lastModified;
  const response = await httpGetFollowing(sumsUrl, { headers, signal: options.signal, idleMs: options.idleMs });
  if (response.status === 304 && known) {
    response.close();
    return { notModified: true };
  }
  if (response.status !== 200) {
    response.close();
    throw fromStatus(response.status, response.url);
  }
  const sums = parseSha256Sums(await response.text());
  const sha256 = sums.get(fileName);
  if (!sha256) {
    throw new KubenetError(`${sumsUrl.href} lists no digest for ${fileName}`, {
      code: ExitCode.download,
      hint: 'Upstream may have renamed the image; check the URL in a browser, or try again later if the directory is being updated.',
    });
  }
  return { notModified: false, sha256, validators: validatorsOf(response.headers) };
}

export function validatorsOf(headers: Record<string, string>): Validators {
  const validators: Validators = {};
  if (headers.etag) validators.etag = headers.etag;
  if (headers['last-modified']) validators.lastModified = headers['last-modified'];
  return validators;
}
