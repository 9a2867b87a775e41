// The signature step of reading a SHA256SUMS, between fetching it and trusting a digest from it:
// SHA256SUMS.gpg from the same place — the same source, mirror mapping, proxy and deadlines, or
// beside a local SHA256SUMS — verified against the key that signs that upstream directory. Where
// upstream signs it, a missing signature is refused: a mirror or proxy that drops it could serve
// anything. Where no signature exists to check (a host kubenet knows no key for, a folder mirror or
// a local SHA256SUMS without one) the download is checked by digest only, said once — or refused
// when a signature is required.
import { readFile } from 'node:fs/promises';
import { ExitCode, KubenetError } from '../../errors.js';
import type { GetOptions, HttpResponse } from '../http/client.js';
import { fromStatus, TransferError } from '../http/transfer-error.js';
import { isFolderMirror, shownUrl } from '../source-url.js';
import { getSource } from '../transfer/source.js';
import { digestIn, localSums } from './sha256sums.js';
import type { SignatureNeed, SignatureRecord } from './signature-policy.js';

export const signatureName = 'SHA256SUMS.gpg';
const maxSignatureBytes = 64 * 1024; // Ubuntu's are under 1 KiB

export interface SignatureCheck {
  need: SignatureNeed;
  file: string; // the download it vouches for, as notes name it
  log?: (line: string) => void;
}

// SHA256SUMS at `sumsUrl` (already read: `sums`), its signature fetched beside it.
export async function checkSignature(
  sumsUrl: URL,
  sums: Uint8Array,
  check: SignatureCheck,
  options: GetOptions,
): Promise<SignatureRecord> {
  if (!check.need.signer) return digestOnly(check, unsignedHost(check.need));
  const signatureUrl = new URL(signatureName, sumsUrl);
  const names = { sums: shownUrl(sumsUrl), signature: shownUrl(signatureUrl) };
  // Absent: a 404 from a server, no such file in a folder mirror (which getSource throws as a 404).
  const response = await getSource(signatureUrl, options).catch((error: unknown) => {
    if (error instanceof TransferError && error.status === 404) return undefined;
    throw error;
  });
  if (!response || response.status === 404) {
    response?.close();
    if (isFolderMirror(sumsUrl))
      return digestOnly(check, `the folder mirror has no ${signatureName} beside ${names.sums}`);
    const viaMirror = sumsUrl.hostname !== check.need.host;
    throw new KubenetError(
      `${names.signature} is missing: upstream signs SHA256SUMS, and ${names.sums} came without its signature`,
      {
        code: ExitCode.digest,
        hint:
          'Nothing was downloaded and no digest from it was trusted: a mirror or proxy that drops the signature ' +
          'can serve any image with a SHA256SUMS to match. ' +
          (viaMirror
            ? `A mirror must keep ${signatureName} beside SHA256SUMS ` +
              `(wget -x …/SHA256SUMS.gpg); or run without --mirror.`
            : 'Upstream publishes it: something on the way (a proxy, a captive ' +
              'portal) withheld it. Try another network, or without the proxy.'),
      },
    );
  }
  if (response.status !== 200) {
    response.close();
    throw fromStatus(response.status, response.url, response.proxy);
  }
  return verified(sums, await bodyOf(response, names.signature), check, names);
}

// A SHA256SUMS on this machine (beside an imported file, in images/, or --sums FILE), its signature
// FILE.gpg beside it when there is one.
export async function checkLocalSignature(
  sumsPath: string,
  sums: Uint8Array,
  check: SignatureCheck,
): Promise<SignatureRecord> {
  if (!check.need.signer) return digestOnly(check, unsignedHost(check.need));
  const signaturePath = `${sumsPath}.gpg`;
  let signature: Buffer;
  try {
    signature = await readFile(signaturePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return digestOnly(check, `no ${signaturePath} beside ${sumsPath}`);
    throw new KubenetError(`cannot read ${signaturePath}: ${code ?? (error as Error).message}`, {
      code: ExitCode.usage,
      cause: error,
      hint: `Give the ${signatureName} published beside that SHA256SUMS, or remove it.`,
    });
  }
  return verified(sums, signature, check, { sums: sumsPath, signature: signaturePath });
}

async function verified(
  sums: Uint8Array,
  signature: Uint8Array,
  check: SignatureCheck,
  names: { sums: string; signature: string },
): Promise<SignatureRecord> {
  const { need } = check;
  const { verifyDetached } = await import('./signature.js'); // openpgp.js: loaded only here
  const result = await verifyDetached(
    sums,
    signature,
    { pinned: need.signer!, ...(need.trustedKeys ? { file: need.trustedKeys } : {}) },
    names,
  );
  check.log?.(
    `${check.file}: ${names.sums} verified: signed by ${result.signer} ` +
      `(${result.key}) on ${result.signedAt.slice(0, 10)}`,
  );
  return result;
}

const unsignedHost = (need: SignatureNeed) => `${need.host} publishes no signature kubenet knows a key for`;

function digestOnly({ need, file, log }: SignatureCheck, why: string): SignatureRecord {
  if (need.required) {
    throw new KubenetError(`${file}: no signature to check (${why}), and a signature is required`, {
      code: ExitCode.digest,
      hint:
        'require-signature (--require-signature, KUBENET_REQUIRE_SIGNATURE) refuses ' +
        'downloads checked by digest only. Use a source that keeps SHA256SUMS.gpg ' +
        'beside SHA256SUMS (upstream itself does), or drop the requirement.',
    });
  }
  log?.(
    `${file}: checked by digest only — ${why}; nothing vouches that its ` +
      `SHA256SUMS is upstream's (require-signature makes this an error)`,
  );
  return { digestOnly: why };
}

// The whole body, as bytes: a signature is verified over exactly what was served.
export async function bodyOf(response: HttpResponse, shown: string, limit = maxSignatureBytes): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  await response.consume((chunk) => {
    size += chunk.length;
    if (size > limit) throw new TransferError(`${shown} is larger than ${limit} bytes`, { retryable: false });
    parts.push(Buffer.from(chunk));
  });
  return Buffer.concat(parts);
}

// What a SHA256SUMS says of a file: its digest and what vouched for it, or that it lists none.
export type SignedSums =
  | { from: string; sha256: string; signature: SignatureRecord }
  | { from: string; sha256?: undefined; signature?: undefined };

// A SHA256SUMS on this machine (sha256sums.ts: localSums) whose digest for `name` is trusted only
// once the signature beside it is: read again as bytes, verified, and the digest taken from
// exactly the bytes verified.
export async function signedLocalSums(
  path: string,
  name: string,
  { folder = false } = {},
  check: SignatureCheck,
): Promise<SignedSums | undefined> {
  const local = await localSums(path, name, { folder });
  if (!local?.sha256) return local && { from: local.from };
  const bytes = await readFile(local.from);
  const signature = await checkLocalSignature(local.from, bytes, check);
  const sha256 = digestIn(bytes.toString('utf8'), name, local.from);
  return sha256 ? { from: local.from, sha256, signature } : { from: local.from };
}
