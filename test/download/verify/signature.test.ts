// verifyDetached: a SHA256SUMS.gpg over a SHA256SUMS, against the keys trusted for its directory —
// signatures as gpg makes them (binary, armored, two at once), and each way it can fail with its own
// message: the data changed after signing, a damaged signature, another key, a truncated or garbage
// file, a SHA-1 signature. Keys are the tests' own; the shipped Ubuntu keys are never replaced.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ubuntuCloudImageKey } from '../../../lib/download/keys/ubuntu.js';
import { verifyDetached, type Trust } from '../../../lib/download/verify/signature.js';
import { ExitCode, KubenetError } from '../../../lib/errors.js';
import { rejection } from '../../helpers/rejection.js';
import { testKeys, trustedKeysFile, type TestKey } from '../../helpers/signing.js';
import { testWhen } from '../../helpers/skip.js';

const test = suite('verifyDetached');
const sums = Buffer.from(
  `${'a'.repeat(64)} *jammy-server-cloudimg-amd64.img\n${'b'.repeat(64)} *jammy-server-cloudimg-arm64.img\n`,
);
const names = { sums: 'https://m/SHA256SUMS', signature: 'https://m/SHA256SUMS.gpg' };
const trust: Trust = { pinned: ubuntuCloudImageKey, file: trustedKeysFile };
let keys: { trusted: TestKey; untrusted: TestKey };

test.before(async () => {
  keys = await testKeys();
});

const refused = async (signature: Uint8Array, data: Uint8Array = sums, with_: Trust = trust) => {
  const error = await rejection(verifyDetached(data, signature, with_, names), KubenetError);
  assert.is(error.code, ExitCode.digest);
  return error;
};

for (const armor of [false, true]) {
  test(
    `a good ${armor ? 'armored' : 'binary'} signature by ` + `the trusted key verifies: its key, user ID and time`,
    async () => {
      const verified = await verifyDetached(sums, await keys.trusted.sign(sums, { armor }), trust, names);
      assert.equal(
        [verified.key, verified.signer, verified.keys],
        [keys.trusted.fingerprint, keys.trusted.name, trustedKeysFile],
      );
      assert.ok(Math.abs(Date.parse(verified.signedAt) - Date.now()) < 120_000, verified.signedAt);
    },
  );
}

test('a byte changed in SHA256SUMS after signing: "changed after it was signed"', async () => {
  const signature = await keys.trusted.sign(sums);
  const changed = Buffer.from(sums);
  changed[3] = 'c'.charCodeAt(0);
  const error = await refused(signature, changed);
  assert.match(
    error.message,
    `${names.sums} was changed after it was signed: it does not ` +
      `match its signature ${names.signature} by ${keys.trusted.name}`,
  );
  assert.match(error.hint ?? '', 'Nothing was downloaded and no digest from it was trusted.');
});

test('a signature by a key that is not trusted: "signed by another key", naming the key wanted', async () => {
  const error = await refused(await keys.untrusted.sign(sums));
  assert.match(
    error.message,
    `${names.sums} is signed by another key (key ID ` +
      `${keys.untrusted.fingerprint.slice(-16)}), not by a key of ${trustedKeysFile}`,
  );
});

test("the shipped keys are what a download trusts by default: the tests' own signature is another key's", async () => {
  const error = await refused(await keys.trusted.sign(sums), sums, { pinned: ubuntuCloudImageKey });
  assert.match(
    error.message,
    `not by UEC Image Automatic Signing Key <cdimage@ubuntu.com> (D2EB 4462 6FDD C30B 513D  5BB7 1A5D 6C4C 7DB8 7C81)`,
  );
});

test('a damaged signature by the right key: "bad signature"', async () => {
  const signature = Buffer.from(await keys.trusted.sign(sums));
  signature[signature.length - 10]! ^= 0xff; // inside the RSA value: the digest prefix still matches
  const error = await refused(signature);
  assert.match(error.message, `bad signature on ${names.sums}: the signature by ${keys.trusted.name}`);
});

for (const [what, cut] of [
  ['truncated (binary)', (b: Buffer) => b.subarray(0, b.length >> 1)],
  ['empty', () => Buffer.alloc(0)],
  ['garbage (an HTML page)', () => Buffer.from('<html><body>Captive portal: log in</body></html>\n')],
] as const) {
  test(`a ${what} SHA256SUMS.gpg: "is not an OpenPGP signature"`, async () => {
    const error = await refused(cut(await keys.trusted.sign(sums)));
    assert.match(error.message, `${names.signature} is not an OpenPGP signature:`);
    assert.match(error.hint ?? '', 'Truncated, or not a signature at all');
  });
}

test('a truncated armored SHA256SUMS.gpg is not a signature either', async () => {
  const armored = (await keys.trusted.sign(sums, { armor: true })).toString();
  const error = await refused(Buffer.from(armored.slice(0, armored.length - 60)));
  assert.match(error.message, `${names.signature} is not an OpenPGP signature:`);
});

test('two signatures, one by an unknown key (as releases once carried): the trusted one vouches', async () => {
  const both = Buffer.concat([await keys.untrusted.sign(sums), await keys.trusted.sign(sums)]);
  assert.is((await verifyDetached(sums, both, trust, names)).key, keys.trusted.fingerprint);
});

test('a trusted-keys file that is missing, or holds no key, is a usage error naming it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubenet-keys-'));
  try {
    const missing = await rejection(
      verifyDetached(sums, await keys.trusted.sign(sums), { file: join(dir, 'nope.asc') }, names),
      KubenetError,
    );
    assert.is(missing.code, ExitCode.usage);
    assert.match(missing.message, `the trusted keys ${join(dir, 'nope.asc')} cannot be read: ENOENT`);
    writeFileSync(join(dir, 'junk.asc'), 'not a key\n');
    const junk = await rejection(
      verifyDetached(sums, await keys.trusted.sign(sums), { file: join(dir, 'junk.asc') }, names),
      KubenetError,
    );
    assert.is(junk.code, ExitCode.usage);
    assert.match(junk.message, 'holds no OpenPGP public key');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// gpg, as Ubuntu signs: its own key (RSA), binary and armored signatures, and a SHA-1 one.
const hasGpg = spawnSync('gpg', ['--version']).status === 0;
testWhen(
  test,
  hasGpg,
  'gpg is not installed (apt-get install gpg)',
  "signatures gpg makes verify against the key gpg exports; gpg's SHA-1 signature is refused",
  async () => {
    const home = mkdtempSync(join(tmpdir(), 'kubenet-gpg-'));
    const gpg = (...args: string[]) => {
      const r = spawnSync('gpg', ['--homedir', home, '--batch', '--yes', '--passphrase', '', ...args], {
        encoding: 'utf8',
      });
      assert.is(r.status, 0, r.stderr);
      return r.stdout;
    };
    try {
      gpg('--quick-gen-key', 'gpg signer <gpg@kubenet.test>', 'rsa2048', 'sign', 'never');
      writeFileSync(join(home, 'keys.asc'), gpg('--armor', '--export'));
      writeFileSync(join(home, 'SHA256SUMS'), sums);
      const fingerprint = gpg('--with-colons', '--list-keys')
        .split('\n')
        .find((l) => l.startsWith('fpr:'))!
        .split(':')[9]!;
      const byGpg: Trust = { file: join(home, 'keys.asc') };
      for (const armor of [[], ['--armor']]) {
        gpg(...armor, '--detach-sign', '-o', join(home, 'SHA256SUMS.gpg'), join(home, 'SHA256SUMS'));
        const verified = await verifyDetached(sums, readFileSync(join(home, 'SHA256SUMS.gpg')), byGpg, names);
        assert.equal([verified.key, verified.signer], [fingerprint, 'gpg signer <gpg@kubenet.test>']);
      }
      gpg('--digest-algo', 'SHA1', '--detach-sign', '-o', join(home, 'SHA256SUMS.gpg'), join(home, 'SHA256SUMS'));
      const weak = await refused(readFileSync(join(home, 'SHA256SUMS.gpg')), sums, byGpg);
      assert.match(weak.message, 'Insecure message hash algorithm: SHA1');
    } finally {
      spawnSync('gpgconf', ['--homedir', home, '--kill', 'gpg-agent']);
      rmSync(home, { recursive: true, force: true });
    }
  },
);

test.run();
