// The key blocks kubenet ships are the keys they claim to be: each block's fingerprint, read by
// openpgp.js and by gpg (a second, independent reader), is the pinned one; and each directory kubenet
// downloads from is checked against the key that signs it upstream.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import { signerOf, ubuntuCdImageKey, ubuntuCloudImageKey } from '../../../lib/download/keys/ubuntu.js';
import { testWhen } from '../../helpers/skip.js';

const test = suite('the shipped Ubuntu keys');
const shipped = [ubuntuCdImageKey, ubuntuCloudImageKey];
const hasGpg = spawnSync('gpg', ['--version']).status === 0;

for (const key of shipped) {
  test(`${key.name}: the block holds one key, whose fingerprint is the pinned ${key.fingerprint}`, async () => {
    const keys = await openpgp.readKeys({ armoredKeys: key.armored });
    assert.is(keys.length, 1);
    assert.is(keys[0]!.getFingerprint().toUpperCase(), key.fingerprint);
    assert.equal(keys[0]!.getUserIDs(), [key.name]);
    assert.not.ok(keys[0]!.isPrivate());
    await keys[0]!.verifyPrimaryKey(); // self-signed, not revoked, not expired
  });

  testWhen(
    test,
    hasGpg,
    'gpg is not installed (apt-get install gpg)',
    `${key.name}: gpg --show-keys reads the same fingerprint`,
    () => {
      const home = mkdtempSync(join(tmpdir(), 'kubenet-gpg-'));
      try {
        const r = spawnSync('gpg', ['--homedir', home, '--batch', '--with-colons', '--show-keys'], {
          input: key.armored,
          encoding: 'utf8',
        });
        assert.is(r.status, 0, r.stderr);
        const fingerprints = r.stdout
          .split('\n')
          .filter((l) => l.startsWith('fpr:'))
          .map((l) => l.split(':')[9]);
        assert.equal(fingerprints, [key.fingerprint]);
        assert.equal(
          r.stdout
            .split('\n')
            .filter((l) => l.startsWith('uid:'))
            .map((l) => l.split(':')[9]),
          [key.name],
        );
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    },
  );
}

test('each upstream directory is checked against the key that signs it; another host has none', () => {
  const of = (url: string) => signerOf(new URL(url))?.fingerprint;
  assert.is(
    of('https://cloud-images.ubuntu.com/jammy/current/jammy-server-cloudimg-arm64.img'),
    ubuntuCloudImageKey.fingerprint,
  );
  assert.is(
    of('https://cdimage.ubuntu.com/jammy/daily-live/current/jammy-desktop-arm64.iso'),
    ubuntuCdImageKey.fingerprint,
  );
  assert.is(
    of('https://cdimage.ubuntu.com/releases/22.04/release/ubuntu-22.04.5-live-server-arm64.iso'),
    ubuntuCdImageKey.fingerprint,
  );
  assert.is(of('https://releases.ubuntu.com/jammy/ubuntu-22.04.5-desktop-amd64.iso'), ubuntuCdImageKey.fingerprint);
  assert.is(of('https://example.com/jammy/my.iso'), undefined);
  assert.is(of('https://cloud-images.ubuntu.com.example.com/x.img'), undefined, 'a look-alike host is not Ubuntu');
});

test.run();
