// The tests' own signing keys — never Ubuntu's, which no test replaces — made once per test process
// with openpgp.js. `trusted` signs what the fixtures' mirrors serve (a SHA256SUMS.gpg beside every
// SHA256SUMS, as upstream publishes), and its public key is the file the trusted-keys setting points
// kubenet at: cli.ts passes KUBENET_TRUSTED_KEYS=trustedKeysFile to every kubenet a test runs, and
// library tests give it as `trustedKeys`. `untrusted` is a key nobody trusts. The file exists once
// testKeys() has been awaited (the fault server does so before it serves a signature).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as openpgp from 'openpgp';

const folder = join(tmpdir(), `kubenet-test-keys-${process.pid}`);
export const trustedKeysFile = join(folder, 'trusted.asc');

export interface TestKey {
  name: string; // its user ID
  fingerprint: string; // upper-case hex
  publicArmored: string;
  // A detached signature of `data`, as gpg --detach-sign makes it: binary, or armored with `armor`.
  sign(data: Buffer | string, options?: { armor?: boolean }): Promise<Buffer>;
}

let made: Promise<{ trusted: TestKey; untrusted: TestKey }> | undefined;

export function testKeys(): Promise<{ trusted: TestKey; untrusted: TestKey }> {
  made ??= (async () => {
    // RSA as Ubuntu's keys are; the untrusted one Ed25519, which is quicker to make.
    const trusted = await makeKey('kubenet tests <trusted@kubenet.test>', { type: 'rsa', rsaBits: 2048 });
    const untrusted = await makeKey('somebody else <untrusted@kubenet.test>', { type: 'ecc', curve: 'ed25519Legacy' });
    mkdirSync(folder, { recursive: true, mode: 0o755 }); // readable by a test's unprivileged kubenet
    writeFileSync(trustedKeysFile, trusted.publicArmored, { mode: 0o644 });
    process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
    return { trusted, untrusted };
  })();
  return made;
}

async function makeKey(
  userID: string,
  kind: { type: 'rsa'; rsaBits: number } | { type: 'ecc'; curve: 'ed25519Legacy' },
): Promise<TestKey> {
  const [, name, email] = /^(.*) <(.*)>$/.exec(userID)!;
  const { privateKey, publicKey } = await openpgp.generateKey({
    ...kind,
    userIDs: [{ name: name!, email: email! }],
    format: 'object',
  });
  return {
    name: userID,
    fingerprint: publicKey.getFingerprint().toUpperCase(),
    publicArmored: publicKey.armor(),
    async sign(data, { armor = false } = {}) {
      const message = await openpgp.createMessage({ binary: Buffer.from(data) });
      if (armor)
        return Buffer.from(await openpgp.sign({ message, signingKeys: privateKey, detached: true, format: 'armored' }));
      return Buffer.from(await openpgp.sign({ message, signingKeys: privateKey, detached: true, format: 'binary' }));
    },
  };
}

// Writes FILE.gpg beside FILE (a SHA256SUMS in a folder mirror, images/ or ~/Downloads): FILE as it
// is now, signed by `key` (the trusted one by default).
export async function signBeside(file: string, key?: TestKey): Promise<string> {
  const signer = key ?? (await testKeys()).trusted;
  writeFileSync(`${file}.gpg`, await signer.sign(readFileSync(file)));
  return `${file}.gpg`;
}
