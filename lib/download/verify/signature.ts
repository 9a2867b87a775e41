// A detached OpenPGP signature (SHA256SUMS.gpg, armored or binary, as gpg makes it) over SHA256SUMS,
// verified with openpgp.js against the keys trusted for its directory. The library is large (~1.2 MB,
// 70–160 ms to import here): only signed-sums.ts loads this file, with import(), once there is a
// signature to check — a no-op run never does. Each way it can fail is its own error (exit 21)
// saying what it means; the caller trusts no digest from SHA256SUMS unless this returns.
import { readFile } from 'node:fs/promises';
import * as openpgp from 'openpgp';
import { ExitCode, KubenetError } from '../../errors.js';
import type { PinnedKey } from '../keys/ubuntu.js';
import { shippedKeys, spacedFingerprint } from './signature-policy.js';

export interface Verified {
  key: string; // the signing key's fingerprint, upper-case hex
  signer: string; // its user ID
  signedAt: string; // ISO time the signature was made
  keys: string; // which keys were trusted: 'shipped', or the trusted-keys file
}

// The keys to trust: the one pinned for the directory, or every key of the trusted-keys file.
export interface Trust {
  pinned?: PinnedKey;
  file?: string;
}

// What messages call the two files: their URLs or paths, as shown.
export interface Names {
  sums: string;
  signature: string;
}

// A signature made up to a day "in the future" still counts: a host clock behind by hours must not
// make Ubuntu's fresh SHA256SUMS look forged. (The keys do not expire; revocation is still checked.)
const clockSlackMs = 24 * 3_600_000;

export async function verifyDetached(
  sums: Uint8Array,
  signature: Uint8Array,
  trust: Trust,
  names: Names,
): Promise<Verified> {
  const keys = await trustedKeys(trust);
  const parsed = await readSignature(signature, names);
  const message = await openpgp.createMessage({ binary: sums });
  const result = await openpgp.verify({
    message,
    signature: parsed,
    verificationKeys: keys,
    date: new Date(Date.now() + clockSlackMs),
    expectSigned: false,
  });
  const failures: { keyID: string; error: Error }[] = [];
  for (const s of result.signatures) {
    try {
      await s.verified;
      const key = keys.find((k) => k.getKeys(s.keyID).length > 0)!;
      const packet = (await s.signature).packets[0]!;
      return {
        key: key.getFingerprint().toUpperCase(),
        signer: userIdOf(key),
        signedAt: (packet.created ?? new Date(0)).toISOString(),
        keys: trust.file ?? shippedKeys,
      };
    } catch (error) {
      failures.push({ keyID: s.keyID.toHex().toUpperCase(), error: error as Error });
    }
  }
  throw refusal(failures, keys, trust, names);
}

// Why no signature by a trusted key verified, in the order that explains the most: the data changed,
// the signature itself is bad, or it is somebody else's.
function refusal(
  failures: { keyID: string; error: Error }[],
  keys: openpgp.PublicKey[],
  trust: Trust,
  names: Names,
): KubenetError {
  const wanted = trust.file
    ? `a key of ${trust.file}`
    : `${trust.pinned!.name} (${spacedFingerprint(trust.pinned!.fingerprint)})`;
  const ours = failures.filter((f) =>
    keys.some((k) => k.getKeyIDs().some((id) => id.toHex().toUpperCase() === f.keyID)),
  );
  const nothingDownloaded = 'Nothing was downloaded and no digest from it was trusted.';
  const changed = ours.find((f) => /Signed digest did not match/.test(f.error.message));
  if (changed) {
    return new KubenetError(
      `${names.sums} was changed after it was signed: it does not match ` +
        `its signature ${names.signature} by ${nameOf(keys, changed.keyID)}`,
      {
        code: ExitCode.digest,
        hint:
          `${nothingDownloaded} Whoever served it (a mirror, a proxy) altered the list of digests, ` +
          `or served a SHA256SUMS and a SHA256SUMS.gpg of two different publications. Run again ` +
          `(upstream may have been updating the directory); if it persists, do not use that source.`,
      },
    );
  }
  const bad = ours[0];
  if (bad) {
    return new KubenetError(
      `bad signature on ${names.sums}: the signature by ${nameOf(keys, bad.keyID)} ` +
        `in ${names.signature} does not verify (${bad.error.message})`,
      {
        code: ExitCode.digest,
        hint:
          `${nothingDownloaded} The signature names the right key but is not a valid signature ` +
          `of it: damaged, or forged. Run again; if it persists, do not use that source.`,
      },
    );
  }
  const others = [...new Set(failures.map((f) => f.keyID))].join(', ') || 'no key';
  return new KubenetError(`${names.sums} is signed by another key (key ID ${others}), not by ${wanted}`, {
    code: ExitCode.digest,
    hint:
      `${nothingDownloaded} Only Ubuntu's key vouches for Ubuntu's images: a signature ` +
      `by any other key is what a mirror or proxy serving files of its own would ` +
      `make.${trust.file ? ` (Trusted here: the keys in ${trust.file}.)` : ''}`,
  });
}

async function readSignature(bytes: Uint8Array, names: Names): Promise<openpgp.Signature> {
  const text = Buffer.from(bytes).toString('latin1');
  let parsed: openpgp.Signature;
  try {
    parsed = /^\s*-----BEGIN PGP SIGNATURE-----/.test(text)
      ? await openpgp.readSignature({ armoredSignature: text })
      : await openpgp.readSignature({ binarySignature: bytes });
  } catch (error) {
    throw notASignature(names, `${bytes.length} bytes that do not parse: ${(error as Error).message}`, error);
  }
  if (parsed.packets.length === 0) throw notASignature(names, `${bytes.length} bytes with no signature packet`);
  return parsed;
}

const notASignature = (names: Names, what: string, cause?: unknown) =>
  new KubenetError(`${names.signature} is not an OpenPGP signature: ${what}`, {
    code: ExitCode.digest,
    cause,
    hint:
      `Truncated, or not a signature at all (an error page, a proxy's own answer): without ` +
      `a readable signature nothing vouches for ${names.sums}. Nothing was downloaded and ` +
      `no digest from it was trusted. Run again; if it persists, do not use that source.`,
  });

// The pinned key, checked against its fingerprint (a block that is not the key it claims to be is a
// defect here, never a user's problem), or every key of the trusted-keys file.
async function trustedKeys({ pinned, file }: Trust): Promise<openpgp.PublicKey[]> {
  if (!file) {
    const key = await openpgp.readKey({ armoredKey: pinned!.armored });
    if (key.getFingerprint().toUpperCase() !== pinned!.fingerprint)
      throw new Error(
        `the key block for ${pinned!.name} has fingerprint ${key.getFingerprint()}, not ${pinned!.fingerprint}`,
      );
    return [key];
  }
  const usage = (why: string, cause?: unknown) =>
    new KubenetError(`the trusted keys ${file} ${why}`, {
      code: ExitCode.usage,
      cause,
      hint:
        'trusted-keys (KUBENET_TRUSTED_KEYS) names a file of OpenPGP public keys, armored ' +
        '(gpg --armor --export) or binary; unset it to trust the keys kubenet ships.',
    });
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw usage(`cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, error);
  }
  const text = bytes.toString('latin1');
  try {
    const keys = /-----BEGIN PGP PUBLIC KEY BLOCK-----/.test(text)
      ? await openpgp.readKeys({ armoredKeys: text })
      : await openpgp.readKeys({ binaryKeys: bytes });
    return keys.map((k) => k.toPublic());
  } catch (error) {
    throw usage(`holds no OpenPGP public key (${(error as Error).message})`, error);
  }
}

const userIdOf = (key: openpgp.PublicKey) => key.getUserIDs()[0] ?? key.getKeyID().toHex().toUpperCase();

function nameOf(keys: openpgp.PublicKey[], keyID: string): string {
  const key = keys.find((k) => k.getKeyIDs().some((id) => id.toHex().toUpperCase() === keyID));
  return key ? `${userIdOf(key)} (${spacedFingerprint(key.getFingerprint())})` : `key ID ${keyID}`;
}
