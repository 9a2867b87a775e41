// The expected digest of an artifact, from SHA256SUMS in its directory (upstream's, or a mirror's).
// With the validators of the last fetch it is a conditional GET: 304 means nothing changed and
// costs a few hundred bytes.
import { ExitCode, KubenetError } from '../../errors.js';
import type { RequestOptions } from '../http/client.js';
import { getSource } from '../transfer/source.js';
import type { Validators } from '../records.js';
import { parseSha256Sums } from './sha256sums.js';
import { shownUrl } from '../source-url.js';
import { fromStatus } from '../http/transfer-error.js';

export type SumsCheck = { notModified: true } | { notModified: false; sha256: string; validators: Validators };

export async function checkSums(sumsUrl: URL, fileName: string, known: Validators | undefined, options: RequestOptions & { signal?: AbortSignal }): Promise<SumsCheck> {
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
  const digests = parseSha256Sums(await response.text()).get(fileName);
  if (!digests) {
    throw new KubenetError(`${shownUrl(sumsUrl)} lists no digest for ${fileName}`, {
      code: ExitCode.download,
      hint: 'Upstream may have renamed the image; check the URL in a browser, or try again later if the directory is being updated.',
    });
  }
  if (digests.length > 1) {
    throw new KubenetError(`${shownUrl(sumsUrl)} lists two different digests for ${fileName}: ${digests.join(' and ')}`, {
      code: ExitCode.download,
      hint: 'A SHA256SUMS that contradicts itself cannot verify anything: the mirror or upstream is broken or being updated. Try again later, or another mirror.',
    });
  }
  return { notModified: false, sha256: digests[0]!, validators: validatorsOf(response.headers) };
}

export function validatorsOf(headers: Record<string, string>): Validators {
  const validators: Validators = {};
  if (headers.etag) validators.etag = headers.etag;
  if (headers['last-modified']) validators.lastModified = headers['last-modified'];
  return validators;
}
