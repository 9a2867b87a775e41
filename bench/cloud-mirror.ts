// What the cloud-image benchmarks share: a guest image served by nginx on loopback under the
// Ubuntu cloud image's URL, with its SHA256SUMS and SHA256SUMS.gpg (signed by the tests' key, which
// kubenet is told to trust and gpgv is given as a keyring: both sides check the signature), and one
// SSH key for both sides of a comparison, so neither pays for ssh-keygen.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import { nginxBinary, startNginx } from '../test/helpers/nginx.js';
import { testKeys, trustedKeysFile } from '../test/helpers/signing.js';
import { tempDir } from '../test/helpers/tmp.js';

export const cloudHost = 'cloud-images.ubuntu.com';
export const cloudDir = '/jammy/current/';

export interface CloudMirror {
  url: string; // the mirror base: BASE/cloud-images.ubuntu.com/jammy/current/NAME
  dir: string; // a temp folder for the benchmark's own files, removed by close()
  home: string; // HOME with ~/.ssh/id_ed25519
  key: string; // that private key
  keyring: string; // the signing key as a binary keyring, for gpgv
  env: NodeJS.ProcessEnv; // CI=true, HOME=home, no shared cache, the signing key trusted: how kubenet is run
  close(): Promise<void>;
}

// nginx, genisoimage and gpgv: what both cloud-image benchmarks need beyond QEMU.
export const mirrorTools = (): boolean =>
  existsSync(nginxBinary) &&
  spawnSync('genisoimage', ['--version']).status === 0 &&
  spawnSync('gpgv', ['--version']).status === 0;

export async function serveCloudImage(image: string, name: string): Promise<CloudMirror> {
  const temp = tempDir('kubenet-bench-cloud-');
  const www = join(temp.path, 'www', cloudHost, cloudDir);
  mkdirSync(www, { recursive: true });
  linkOrCopy(image, join(www, name));
  const sha = createHash('sha256').update(readFileSync(image)).digest('hex');
  writeFileSync(join(www, 'SHA256SUMS'), `${sha} *${name}\n`);
  const { trusted } = await testKeys();
  writeFileSync(join(www, 'SHA256SUMS.gpg'), await trusted.sign(`${sha} *${name}\n`));
  const keyring = join(temp.path, 'keyring.gpg');
  writeFileSync(keyring, (await openpgp.readKey({ armoredKey: trusted.publicArmored })).write());
  const nginx = await startNginx(join(temp.path, 'www'));
  const home = join(temp.path, 'home');
  mkdirSync(join(home, '.ssh'), { recursive: true });
  const key = join(home, '.ssh/id_ed25519');
  spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
  return {
    url: nginx.url,
    dir: temp.path,
    home,
    key,
    keyring,
    // cold runs download: no shared cache
    env: { ...process.env, CI: 'true', HOME: home, KUBENET_CACHE: 'off', KUBENET_TRUSTED_KEYS: trustedKeysFile },
    async close() {
      await nginx.stop();
      temp.remove();
    },
  };
}

// A hard link where the file system allows it: a 140 MB image need not be copied.
export function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}
