// What a SHA256SUMS must carry, and when a record of an earlier check still vouches without
// fetching it again: a table of records against what is trusted now.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ubuntuCdImageKey, ubuntuCloudImageKey } from '../../../lib/download/keys/ubuntu.js';
import {
  describeSignature,
  signatureNeed,
  spacedFingerprint,
  stillVouches,
  type SignatureRecord,
} from '../../../lib/download/verify/signature-policy.js';

const test = suite('signature policy');
const cloud = new URL('https://cloud-images.ubuntu.com/jammy/current/jammy-server-cloudimg-arm64.img');
const own = new URL('https://example.com/isos/my.iso');
const byUec: SignatureRecord = {
  key: ubuntuCloudImageKey.fingerprint,
  signer: ubuntuCloudImageKey.name,
  signedAt: '2026-07-22T19:16:08.000Z',
  keys: 'shipped',
};
const byCd: SignatureRecord = { ...byUec, key: ubuntuCdImageKey.fingerprint };
const byTestKeys: SignatureRecord = {
  key: 'E136D25387BB7BAF70FA82EF19B98E567FC3756B',
  signer: 'kubenet tests',
  signedAt: '2026-12-06T00:00:00.000Z',
  keys: '/tmp/keys.asc',
};
const digestOnly: SignatureRecord = { digestOnly: 'the folder mirror has no SHA256SUMS.gpg' };

test('the need: the key pinned for the host, the trusted-keys file, and whether a signature is required', () => {
  assert.equal(signatureNeed(cloud, {}), {
    host: 'cloud-images.ubuntu.com',
    signer: ubuntuCloudImageKey,
    required: false,
  });
  assert.equal(signatureNeed(cloud, { trustedKeys: '/tmp/keys.asc', requireSignature: true }), {
    host: 'cloud-images.ubuntu.com',
    signer: ubuntuCloudImageKey,
    trustedKeys: '/tmp/keys.asc',
    required: true,
  });
  assert.equal(signatureNeed(own, {}), { host: 'example.com', required: false });
});

const rows: [string, SignatureRecord, Parameters<typeof signatureNeed>[1], URL, boolean][] = [
  ["Ubuntu's key, trusted now", byUec, {}, cloud, true],
  ['the other Ubuntu key: not the one for this directory', byCd, {}, cloud, false],
  ['digest only, where upstream signs', digestOnly, {}, cloud, false],
  ["Ubuntu's key, when the settings now trust a file instead", byUec, { trustedKeys: '/tmp/keys.asc' }, cloud, false],
  ['a key of the trusted-keys file in force', byTestKeys, { trustedKeys: '/tmp/keys.asc' }, cloud, true],
  ['a key of another trusted-keys file', byTestKeys, { trustedKeys: '/tmp/other.asc' }, cloud, false],
  ['digest only, for a host that signs nothing', digestOnly, {}, own, true],
  [
    'digest only, for a host that signs nothing, when a signature is required',
    digestOnly,
    { requireSignature: true },
    own,
    false,
  ],
];
for (const [what, record, options, url, vouches] of rows) {
  test(
    `a record of ${what} ` +
      `${vouches ? 'still vouches' : 'does not vouch: SHA256SUMS is fetched and verified again'}`,
    () => {
      assert.is(stillVouches(record, signatureNeed(url, options)), vouches);
    },
  );
}

test('how list and explain say it', () => {
  assert.is(spacedFingerprint(ubuntuCdImageKey.fingerprint), '8439 38DF 228D 22F7 B374  2BC0 D94A A3F0 EFE2 1092');
  assert.is(
    describeSignature(byUec),
    'SHA256SUMS signed by UEC Image Automatic Signing Key <cdimage@ubuntu.com> ' +
      '(D2EB 4462 6FDD C30B 513D  5BB7 1A5D 6C4C 7DB8 7C81) on 2026-07-22',
  );
  assert.is(
    describeSignature(byTestKeys),
    'SHA256SUMS signed by kubenet tests (E136 D253 87BB 7BAF 70FA  ' +
      '82EF 19B9 8E56 7FC3 756B) on 2026-12-06, a key of /tmp/keys.asc',
  );
  assert.is(describeSignature(digestOnly), 'checked by digest only: the folder mirror has no SHA256SUMS.gpg');
});

test.run();
