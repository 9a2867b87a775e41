// Downloads from Ubuntu, signature-checked: SHA256SUMS.gpg fetched beside SHA256SUMS through the
// mirror (a server, or a folder), verified before any digest from it is trusted, recorded with the
// download — and every tamper case refused with exit 21, nothing kept, before a byte of the image is
// asked for. The mirrors sign with the tests' own key (signing.ts), which trusted-keys names.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importFile } from '../../lib/download/cache/import-file.js';
import { fetchArtifact } from '../../lib/download/index.js';
import type { DownloadRecord } from '../../lib/download/records.js';
import type { FetchOptions } from '../../lib/download/types.js';
import { ExitCode, KubenetError } from '../../lib/errors.js';
import { makePaths, type Paths } from '../../lib/paths.js';
import { publish, startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { rejection } from '../helpers/rejection.js';
import { testKeys, trustedKeysFile, type TestKey } from '../helpers/signing.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('signed downloads');
const name = 'jammy-server-cloudimg-arm64.img';
const upstreamDir = 'https://cloud-images.ubuntu.com/jammy/current/';
const sumsPath = '/cloud-images.ubuntu.com/jammy/current/SHA256SUMS';
const gpgPath = `${sumsPath}.gpg`;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
let dir: ReturnType<typeof tempDir>;
let server: FaultServer;
let body: Buffer;
let url: string;
let paths: Paths;
let logs: string[];
let keys: { trusted: TestKey; untrusted: TestKey };

test.before(async () => {
  keys = await testKeys();
});
test.before.each(async () => {
  dir = tempDir('kubenet-signed-');
  server = await startFaultServer();
  body = randomBytes(1 << 20);
  url = publish(server, upstreamDir, name, body).url;
  paths = makePaths(join(dir.path, 'images'));
  logs = [];
});
test.after.each(async () => {
  await server.close();
  dir.remove();
});

const options = (extra: Partial<FetchOptions> = {}): FetchOptions => ({
  paths,
  mirror: server.url,
  trustedKeys: trustedKeysFile,
  retries: 1,
  backoffMs: 10,
  log: (l) => logs.push(l),
  ...extra,
});
const fetch = (extra: Partial<FetchOptions> = {}) => fetchArtifact({ url }, options(extra));
const requested = (path: string) => server.requests.filter((r) => r.path === path);
const imageRequests = () => requested(`/cloud-images.ubuntu.com/jammy/current/${name}`);
const record = () => JSON.parse(readFileSync(paths.downloadRecord(name), 'utf8')) as DownloadRecord;
const verified = (signature: unknown) =>
  (signature && typeof signature === 'object' && 'key' in signature ? signature : undefined) as
    | { key: string; signer: string; keys: string }
    | undefined;
const sumsText = () => `${'0'.repeat(64)} *other.iso\n${sha(body)} *${name}\n`;

// Refused with exit 21 before the image was asked for, and nothing of it in images/.
async function refused(promise: Promise<unknown>, message: string): Promise<KubenetError> {
  const error = await rejection(promise, KubenetError);
  assert.is(error.code, ExitCode.digest, error.message);
  assert.match(error.message, message);
  assert.is(imageRequests().length, 0, 'not a byte of the image was asked for');
  const kept = existsSync(paths.root) ? readdirSync(paths.root).filter((n) => n !== '.kubenet') : [];
  assert.equal(kept, [], 'nothing kept in images/');
  assert.not.ok(existsSync(paths.downloadRecord(name)), 'nothing recorded');
  return error;
}

test(
  'a good signature: verified before the download, recorded with ' +
    'it, said once; a rerun asks for SHA256SUMS alone, conditionally',
  async () => {
    const result = await fetch();
    assert.is(result.status, 'downloaded');
    assert.equal(result.signature, record().signature);
    const signed = verified(record().signature);
    assert.equal(
      [signed?.key, signed?.signer, signed?.keys],
      [keys.trusted.fingerprint, keys.trusted.name, trustedKeysFile],
    );
    assert.is(requested(gpgPath).length, 1);
    assert.ok(
      server.requests.indexOf(requested(gpgPath)[0]!) < server.requests.indexOf(imageRequests()[0]!),
      'the signature is checked before the image is fetched',
    );
    assert.is(logs.filter((l) => l.includes('verified: signed by')).length, 1);
    assert.match(
      logs.join('\n'),
      `${name}: ${server.url}cloud-images.ubuntu.com/jammy/current/SHA256SUMS ` +
        `verified: signed by ${keys.trusted.name} (${keys.trusted.fingerprint})`,
    );

    const before = server.requests.length;
    const again = await fetch();
    assert.is(again.status, 'cached');
    assert.equal(
      server.requests.slice(before).map((r) => [r.path, r.status]),
      [[sumsPath, 304]],
      'SHA256SUMS unchanged: its verified signature still holds',
    );
    assert.equal(again.signature, record().signature);
  },
);

test('a byte changed in SHA256SUMS after signing: exit 21, "changed after it was signed"', async () => {
  server.put(gpgPath, await keys.trusted.sign(sumsText()));
  server.put(sumsPath, sumsText().replace(sha(body), sha(randomBytes(8))));
  const error = await refused(
    fetch(),
    `${server.url}cloud-images.ubuntu.com/jammy/current/SHA256SUMS was changed after it was signed`,
  );
  assert.match(error.hint ?? '', 'Nothing was downloaded and no digest from it was trusted.');
});

test('a signature by a key that is not trusted: exit 21, "signed by another key"', async () => {
  server.put(gpgPath, await keys.untrusted.sign(sumsText()));
  await refused(
    fetch(),
    `is signed by another key (key ID ${keys.untrusted.fingerprint.slice(-16)}), not by a key of ${trustedKeysFile}`,
  );
});

test("by default the shipped Ubuntu key is trusted, not the tests' own", async () => {
  await refused(
    fetch({ trustedKeys: undefined }),
    'not by UEC Image Automatic Signing Key <cdimage@ubuntu.com> (D2EB 4462 6FDD C30B 513D  5BB7 1A5D 6C4C 7DB8 7C81)',
  );
});

for (const require of [false, true]) {
  test(
    `a mirror without SHA256SUMS.gpg where upstream signs: exit ` +
      `21, "is missing"${require ? ' (require-signature too)' : ''}`,
    async () => {
      server.always(gpgPath, { status: 404 });
      const error = await refused(
        fetch({ requireSignature: require }),
        `${server.url}cloud-images.ubuntu.com/jammy/current/SHA256SUMS.gpg is missing: upstream signs SHA256SUMS`,
      );
      assert.match(error.hint ?? '', 'a mirror or proxy that drops the signature can serve any image');
    },
  );
}

for (const [what, signature] of [
  ['truncated', async () => (await keys.trusted.sign(sumsText())).subarray(0, 120)],
  ['garbage', async () => Buffer.from('<html>502 Bad Gateway</html>\n')],
] as const) {
  test(`a ${what} SHA256SUMS.gpg: exit 21, "is not an OpenPGP signature"`, async () => {
    server.put(gpgPath, await signature());
    await refused(
      fetch(),
      `${server.url}cloud-images.ubuntu.com/jammy/current/SHA256SUMS.gpg is not an OpenPGP signature`,
    );
  });
}

test(
  'a valid signature over a SHA256SUMS that does not ' + 'list the file: exit 20, naming it; nothing downloaded',
  async () => {
    server.put(sumsPath, `${'1'.repeat(64)} *jammy-server-cloudimg-amd64.img\n`);
    const error = await rejection(fetch(), KubenetError);
    assert.is(error.code, ExitCode.download);
    assert.match(error.message, `cloud-images.ubuntu.com/jammy/current/SHA256SUMS lists no digest for ${name}`);
    assert.is(requested(gpgPath).length, 1, 'its signature was checked first');
    assert.is(imageRequests().length, 0);
  },
);

// What `kubenet import --sums FILE` records for a SHA256SUMS given without its SHA256SUMS.gpg.
const importedDigestOnly = (): void =>
  writeFileSync(
    paths.downloadRecord(name),
    JSON.stringify({ ...record(), signature: { digestOnly: 'the SHA256SUMS given has no SHA256SUMS.gpg beside it' } }),
  );

test(
  'a download checked by digest only where upstream signs: ' + 'SHA256SUMS is fetched and verified once, then recorded',
  async () => {
    await fetch();
    importedDigestOnly();
    const before = server.requests.length;
    const again = await fetch();
    assert.is(again.status, 'cached');
    const asked = server.requests.slice(before);
    assert.equal(
      asked.map((r) => [r.path, r.status]),
      [
        [sumsPath, 200],
        [gpgPath, 200],
      ],
    );
    assert.not.ok(asked[0]!.headers['if-none-match'], 'unconditionally: nothing vouched for the old validators');
    assert.is(verified(record().signature)?.key, keys.trusted.fingerprint);
    assert.is(imageRequests().length, 1, 'the image itself was not fetched again');
  },
);

test(
  'upstream out of reach: a copy checked by digest only is used ' +
    'after the one short check; under require-signature it is refused',
  async () => {
    await fetch();
    importedDigestOnly();
    server.always(sumsPath, { raw: () => ['hang'] });
    const started = Date.now();
    const used = await fetch({ checkMs: 300 });
    assert.is(used.status, 'cached');
    assert.ok(Date.now() - started < 5_000, 'one short check, not the retries of a first download');
    assert.match(logs.join('\n'), 'could not check upstream');
    const strict = await rejection(fetch({ checkMs: 300, requireSignature: true }), KubenetError);
    assert.is(strict.code, ExitCode.digest);
    assert.match(
      strict.message,
      `${name}: upstream could not be checked, and the copy in ` +
        `images/ was checked by digest only, and a signature is required`,
    );
    assert.ok(readFileSync(paths.artifact(name)).equals(body), 'the copy is left as it was');
  },
);

test(
  'a host kubenet knows no key for: checked by digest only, said ' +
    'once, no signature asked for; require-signature refuses it',
  async () => {
    const other = publish(server, 'https://images.example.test/v1/', 'my.iso', body);
    const result = await fetchArtifact({ url: other.url }, options());
    assert.equal(result.signature, {
      digestOnly: 'images.example.test publishes no signature kubenet knows a key for',
    });
    assert.is(logs.filter((l) => l.includes('checked by digest only')).length, 1);
    assert.is(requested('/images.example.test/v1/SHA256SUMS.gpg').length, 0);
    const error = await rejection(
      fetchArtifact(
        { url: other.url },
        options({ paths: makePaths(join(dir.path, 'strict')), requireSignature: true }),
      ),
      KubenetError,
    );
    assert.is(error.code, ExitCode.digest);
    assert.match(
      error.message,
      'my.iso: no signature to check (images.example.test publishes no ' +
        'signature kubenet knows a key for), and a signature is required',
    );
  },
);

// A folder mirror laid out as wget -x makes it.
function folderMirror(): string {
  const mirror = join(dir.path, 'mirror');
  const at = join(mirror, 'cloud-images.ubuntu.com', 'jammy', 'current');
  mkdirSync(at, { recursive: true });
  writeFileSync(join(at, name), body);
  writeFileSync(join(at, 'SHA256SUMS'), sumsText());
  return mirror;
}

test('a folder mirror with SHA256SUMS.gpg: verified the same way; tampered, refused', async () => {
  const mirror = folderMirror();
  const sums = join(mirror, 'cloud-images.ubuntu.com/jammy/current/SHA256SUMS');
  writeFileSync(`${sums}.gpg`, await keys.trusted.sign(readFileSync(sums)));
  const result = await fetch({ mirror });
  assert.is(result.status, 'downloaded');
  assert.is(verified(result.signature)?.key, keys.trusted.fingerprint);
  writeFileSync(sums, sumsText().replace('0'.repeat(64), '9'.repeat(64)));
  const tampered = await rejection(fetch({ mirror, paths: makePaths(join(dir.path, 'other')) }), KubenetError);
  assert.is(tampered.code, ExitCode.digest);
  assert.match(tampered.message, `${sums} was changed after it was signed`);
});

test(
  'a folder mirror without SHA256SUMS.gpg: checked by digest ' +
    'only, said once; require-signature refuses it, nothing kept',
  async () => {
    const mirror = folderMirror();
    const result = await fetch({ mirror });
    assert.is(result.status, 'downloaded');
    const why =
      `the folder mirror has no SHA256SUMS.gpg beside ` +
      `${join(mirror, 'cloud-images.ubuntu.com/jammy/current/SHA256SUMS')}`;
    assert.equal(result.signature, { digestOnly: why });
    assert.equal(
      logs.filter((l) => l.includes('checked by digest only')),
      [
        `${name}: checked by digest only — ${why}; nothing vouches that its ` +
          `SHA256SUMS is upstream's (require-signature makes this an error)`,
      ],
    );
    paths = makePaths(join(dir.path, 'strict'));
    const error = await refused(
      fetch({ mirror, requireSignature: true }),
      `${name}: no signature to check (${why}), and a signature is required`,
    );
    assert.match(error.hint ?? '', 'require-signature');
  },
);

test(
  'offline, a copy in images/ with SHA256SUMS and SHA256SUMS.gpg beside it: the ' +
    'signature is verified, then the copy adopted; a tampered pair adopts nothing',
  async () => {
    mkdirSync(paths.root, { recursive: true });
    writeFileSync(paths.artifact(name), body);
    writeFileSync(join(paths.root, 'SHA256SUMS'), sumsText());
    writeFileSync(join(paths.root, 'SHA256SUMS.gpg'), await keys.trusted.sign(sumsText()));
    const offline = () =>
      fetchArtifact({ url }, { paths, offline: true, trustedKeys: trustedKeysFile, log: (l) => logs.push(l) });
    const result = await offline();
    assert.is(result.status, 'adopted');
    assert.is(verified(result.signature)?.key, keys.trusted.fingerprint);
    assert.equal(record().signature, result.signature);

    paths = makePaths(join(dir.path, 'second'));
    mkdirSync(paths.root, { recursive: true });
    writeFileSync(paths.artifact(name), body);
    writeFileSync(join(paths.root, 'SHA256SUMS'), sumsText().replace('0'.repeat(64), '9'.repeat(64)));
    writeFileSync(join(paths.root, 'SHA256SUMS.gpg'), await keys.trusted.sign(sumsText()));
    const error = await rejection(offline(), KubenetError);
    assert.is(error.code, ExitCode.digest);
    assert.match(error.message, `${join(paths.root, 'SHA256SUMS')} was changed after it was signed`);
    assert.not.ok(existsSync(paths.downloadRecord(name)), 'not adopted');
    assert.ok(readFileSync(paths.artifact(name)).equals(body), 'the copy left as it was');
  },
);

test(
  'offline with require-signature: a copy verified by digest ' +
    'only is refused; one whose SHA256SUMS was signed is used',
  async () => {
    const mirror = folderMirror();
    await fetch({ mirror });
    const strict = await rejection(
      fetchArtifact({ url }, { paths, offline: true, requireSignature: true }),
      KubenetError,
    );
    assert.is(strict.code, ExitCode.digest);
    assert.match(
      strict.message,
      `--offline: ${name} in images/ (${paths.artifact(name)}) was checked by digest only, and a signature is required`,
    );
    paths = makePaths(join(dir.path, 'signed'));
    await fetch();
    assert.is((await fetchArtifact({ url }, { paths, offline: true, requireSignature: true })).status, 'cached');
  },
);

// kubenet import: the learner's own copy, with upstream's SHA256SUMS (and its signature) beside it.
function downloads(): { file: string; sums: string } {
  const at = join(dir.path, 'Downloads');
  mkdirSync(at, { recursive: true });
  writeFileSync(join(at, name), body);
  writeFileSync(join(at, 'SHA256SUMS'), sumsText());
  return { file: join(at, name), sums: join(at, 'SHA256SUMS') };
}
const importing = (file: string, extra: Partial<Parameters<typeof importFile>[0]> = {}) =>
  importFile({ file, url, paths, offline: true, trustedKeys: trustedKeysFile, log: (l) => logs.push(l), ...extra });

test(
  'import --offline with SHA256SUMS and SHA256SUMS.gpg ' + 'beside the file: the signature is verified and recorded',
  async () => {
    const { file, sums } = downloads();
    writeFileSync(`${sums}.gpg`, await keys.trusted.sign(sumsText(), { armor: true }));
    const result = await importing(file);
    assert.is(verified(result.signature)?.key, keys.trusted.fingerprint);
    assert.equal(record().signature, result.signature);
    assert.match(logs.join('\n'), `${name}: ${sums} verified: signed by ${keys.trusted.name}`);
  },
);

test(
  'import --offline with a signature beside it by an untrusted ' +
    'key, or over another SHA256SUMS: exit 21, nothing in images/',
  async () => {
    const { file, sums } = downloads();
    writeFileSync(`${sums}.gpg`, await keys.untrusted.sign(sumsText()));
    await refused(importing(file), `${sums} is signed by another key`);
    writeFileSync(`${sums}.gpg`, await keys.trusted.sign(`${sumsText()}# another publication\n`));
    await refused(importing(file), `${sums} was changed after it was signed`);
  },
);

test('import --sums FILE verifies FILE.gpg beside it', async () => {
  const { file } = downloads();
  const elsewhere = join(dir.path, 'sums');
  writeFileSync(elsewhere, sumsText());
  writeFileSync(`${elsewhere}.gpg`, Buffer.from('garbage'));
  await refused(importing(file, { sums: elsewhere }), `${elsewhere}.gpg is not an OpenPGP signature`);
  writeFileSync(`${elsewhere}.gpg`, await keys.trusted.sign(sumsText()));
  assert.is(verified((await importing(file, { sums: elsewhere })).signature)?.key, keys.trusted.fingerprint);
});

test(
  'import --offline with no signature beside the file: checked ' +
    'by digest only, said once; require-signature refuses it',
  async () => {
    const { file, sums } = downloads();
    const strict = await refused(
      importing(file, { requireSignature: true }),
      `${name}: no signature to check (no ${sums}.gpg beside ${sums}), and a signature is required`,
    );
    assert.match(strict.hint ?? '', 'require-signature');
    const result = await importing(file);
    assert.equal(result.signature, { digestOnly: `no ${sums}.gpg beside ${sums}` });
    assert.is(logs.filter((l) => l.includes('checked by digest only')).length, 1);
  },
);

test("import online checks the signature of upstream's SHA256SUMS, through the mirror", async () => {
  const { file } = downloads();
  const result = await importing(file, { offline: false, mirror: server.url });
  assert.is(verified(result.signature)?.key, keys.trusted.fingerprint);
  assert.is(requested(gpgPath).length, 1);
});

test.run();
