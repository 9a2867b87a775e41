// What a download's SHA256SUMS must carry before a digest from it is trusted, decided before anything
// is fetched: the key that signs its upstream directory (keys/ubuntu.ts), or none for a host that
// signs nothing kubenet knows. And whether what a record says of an earlier check still vouches,
// so that a rerun decides without loading the OpenPGP library. No I/O.
import { ExitCode, KubenetError } from '../../errors.js';
import { signerOf, type PinnedKey } from '../keys/ubuntu.js';

// How a SHA256SUMS came to be trusted, recorded with the download and in the shared cache.
export type SignatureRecord =
  // Verified: the signing key's fingerprint and user ID, when it signed, and which keys were
  // trusted — kubenet's own ('shipped'), or the trusted-keys file the settings named.
  | { key: string; signer: string; signedAt: string; keys: string }
  // no signature was checked, and why
  | { digestOnly: string };

// The settings that shape the check (Settings: trusted-keys, require-signature).
export interface SignatureOptions {
  trustedKeys?: string; // a file of OpenPGP public keys to trust instead of the ones kubenet ships
  requireSignature?: boolean; // a source without a signature is an error, not a digest-only check
}

export interface SignatureNeed {
  host: string; // upstream's, whatever mirror serves it
  signer?: PinnedKey; // the key that signs upstream's SHA256SUMS; undefined: no signature is expected
  trustedKeys?: string;
  required: boolean;
}

export const shippedKeys = 'shipped';

export function signatureNeed(upstream: URL, options: SignatureOptions): SignatureNeed {
  const signer = signerOf(upstream);
  return {
    host: upstream.hostname,
    ...(signer ? { signer } : {}),
    ...(options.trustedKeys ? { trustedKeys: options.trustedKeys } : {}),
    required: options.requireSignature === true,
  };
}

export const isVerified = (record: SignatureRecord | undefined): record is Extract<SignatureRecord, { key: string }> =>
  record !== undefined && 'key' in record;

// Whether a record of an earlier check may stand for a new one (a conditional request, a copy used
// when upstream cannot be reached): only a signature by the key trusted now, when one is expected;
// anything when none is — unless a signature is required.
export function stillVouches(record: SignatureRecord, need: SignatureNeed): boolean {
  if (!need.signer) return !need.required;
  if (!isVerified(record)) return false;
  return need.trustedKeys
    ? record.keys === need.trustedKeys
    : record.keys === shippedKeys && record.key === need.signer.fingerprint;
}

// A verified copy used without its SHA256SUMS being checked now (--offline, or upstream out of
// reach) stands as it was verified — unless a signature is required and none vouched for it.
export function usableUnchecked<R extends { signature: SignatureRecord }>(
  record: R,
  need: SignatureNeed,
  what: string,
): R {
  if (!need.required || isVerified(record.signature)) return record;
  throw new KubenetError(`${what} was checked by digest only, and a signature is required`, {
    code: ExitCode.digest,
    hint:
      'Nothing was changed. Run online with upstream in reach (it signs its SHA256SUMS), or import ' +
      'the file with the SHA256SUMS and SHA256SUMS.gpg published beside it; or drop require-signature.',
  });
}

// "843938DF…" as gpg prints it: "8439 38DF 228D 22F7 B374  2BC0 D94A A3F0 EFE2 1092".
export function spacedFingerprint(fingerprint: string): string {
  const groups = fingerprint.toUpperCase().match(/.{1,4}/g) ?? [];
  return groups.length === 10 ? `${groups.slice(0, 5).join(' ')}  ${groups.slice(5).join(' ')}` : groups.join(' ');
}

// How `list`, `explain` and the run's notes say it.
export function describeSignature(record: SignatureRecord): string {
  if (!isVerified(record)) return `checked by digest only: ${record.digestOnly}`;
  return (
    `SHA256SUMS signed by ${record.signer} (${spacedFingerprint(record.key)}) on ` +
    `${record.signedAt.slice(0, 10)}${record.keys === shippedKeys ? '' : `, a key of ${record.keys}`}`
  );
}
