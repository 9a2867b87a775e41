// The live ISO is found, not fixed (issue 18 §1): against a mirror laid out as upstream is today
// — the guide's daily-live path a 404 page, jammy's released images in their own directories —
// and after a point release, and with the guide's URL back. The download definition is the real
// one (tasks/02-live-cd.ts), asked for as a run asks for it (artifactOf).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fetchArtifact } from '../../lib/download/index.js';
import type { FetchOptions } from '../../lib/download/types.js';
import { ExitCode, KubenetError } from '../../lib/errors.js';
import type { GuestArch } from '../../lib/host/types.js';
import { makePaths, type Paths } from '../../lib/paths.js';
import { artifactOf } from '../../lib/runner/download-names.js';
import { freePort } from '../../lib/ssh/free-port.js';
import { chapterDownloads } from '../helpers/chapter-tasks.js';
import { startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { rejection } from '../helpers/rejection.js';
import { trustedKeysFile } from '../helpers/signing.js';
import { tempDir } from '../helpers/tmp.js';
import {
  cdimageRelease,
  dailyLive,
  dailyLiveGone,
  publishRelease,
  releasesJammy,
  serveGuideAgain,
} from '../helpers/ubuntu-mirror.js';

const test = suite('the live ISO, found');
const liveIso = chapterDownloads.find((d) => d.name === 'live-iso')!;
let dir: ReturnType<typeof tempDir>;
let server: FaultServer;
let paths: Paths;
let logs: string[];
const amd64 = randomBytes(1 << 20);
const arm64 = randomBytes(1 << 20);

test.before.each(async () => {
  dir = tempDir('kubenet-found-');
  server = await startFaultServer();
  paths = makePaths(join(dir.path, 'images'));
  logs = [];
  dailyLiveGone(server);
});
test.after.each(async () => {
  await server.close();
  dir.remove();
});

const artifact = (arch: GuestArch = 'x86_64') => artifactOf(liveIso, arch, { sources: {} });
const options = (extra: Partial<FetchOptions> = {}): FetchOptions => ({
  paths,
  mirror: server.url,
  trustedKeys: trustedKeysFile,
  retries: 1,
  backoffMs: 10,
  lockPollMs: 20,
  log: (l) => logs.push(l),
  ...extra,
});
const fetch = (arch: GuestArch = 'x86_64', extra: Partial<FetchOptions> = {}) =>
  fetchArtifact(artifact(arch), options(extra));
const asked = () => server.requests.map((r) => `${r.status} ${r.path}`);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const mirrored = (url: string) => `/${new URL(url).host}${new URL(url).pathname}`;

test(
  "today, amd64: the guide's daily-live path is a 404 page; jammy's " +
    'released desktop ISO is found and downloaded under its own name',
  async () => {
    const served = publishRelease(server, { amd64 }).amd64;
    const result = await fetch();
    assert.is(result.name, 'ubuntu-22.04.5-desktop-amd64.iso');
    assert.is(result.url, `${releasesJammy}ubuntu-22.04.5-desktop-amd64.iso`);
    assert.equal(result.found, { guide: 'jammy-desktop-amd64.iso', from: releasesJammy });
    assert.ok(readFileSync(paths.artifact(result.name)).equals(amd64));
    assert.not.ok(existsSync(paths.artifact('jammy-desktop-amd64.iso')), "nothing under the guide's name");
    assert.equal(asked(), [
      `404 ${mirrored(dailyLive)}SHA256SUMS`,
      `200 ${mirrored(releasesJammy)}SHA256SUMS`,
      `200 ${mirrored(releasesJammy)}SHA256SUMS.gpg`,
      `200 ${served.path}`,
    ]);
    assert.ok(
      logs.some((l) =>
        l.startsWith(
          `the Ubuntu live ISO: ${server.url}releases.ubuntu.com/jammy/SHA256SUMS verified: signed by kubenet tests`,
        ),
      ),
      logs.join('\n'),
    );
  },
);

test(
  'today, arm64: no desktop ISO for jammy: the ' + "live-server ISO of cdimage's " + 'release directory, and why',
  async () => {
    publishRelease(server, { arm64 });
    const result = await fetch('aarch64');
    assert.is(result.name, 'ubuntu-22.04.5-live-server-arm64.iso');
    assert.equal(result.found, {
      guide: 'jammy-desktop-arm64.iso',
      from: cdimageRelease,
      why: 'jammy has no arm64 desktop ISO; its live server ISO talks on the serial console, as -serial vc wants',
    });
    assert.ok(readFileSync(paths.artifact(result.name)).equals(arm64));
  },
);

test('a directory that lists several point releases gives the newest (22.04.10 after 22.04.9)', async () => {
  server.put(`${mirrored(releasesJammy)}ubuntu-22.04.10-desktop-amd64.iso`, amd64);
  server.put(
    `${mirrored(releasesJammy)}SHA256SUMS`,
    [
      `${sha(Buffer.from('nine'))} *ubuntu-22.04.9-desktop-amd64.iso`,
      `${sha(amd64)} *ubuntu-22.04.10-desktop-amd64.iso`,
      `${sha(Buffer.from('server'))} *ubuntu-22.04.10-live-server-amd64.iso`,
    ].join('\n'),
  );
  assert.is((await fetch()).name, 'ubuntu-22.04.10-desktop-amd64.iso');
});

test('a rerun downloads nothing: the released SHA256SUMS is a conditional request answered 304', async () => {
  const served = publishRelease(server, { amd64 }).amd64;
  await fetch();
  const before = server.requests.length;
  const again = await fetch();
  assert.is(again.status, 'cached');
  assert.is(again.name, served.name);
  assert.equal(asked().slice(before), [
    `404 ${mirrored(dailyLive)}SHA256SUMS`,
    `304 ${mirrored(releasesJammy)}SHA256SUMS`,
  ]);
});

test(
  'a point release is picked up like any upstream change: ' +
    '22.04.6 downloaded, 22.04.5 leaves images/, the update said',
  async () => {
    publishRelease(server, { amd64 });
    await fetch();
    const next = randomBytes(1 << 20);
    publishRelease(server, { amd64: next }, 6);
    logs.length = 0;
    const result = await fetch();
    assert.is(result.name, 'ubuntu-22.04.6-desktop-amd64.iso');
    assert.is(result.status, 'updated');
    assert.equal(result.replaced?.name, 'ubuntu-22.04.5-desktop-amd64.iso');
    assert.ok(readFileSync(paths.artifact(result.name)).equals(next));
    assert.not.ok(
      existsSync(paths.artifact('ubuntu-22.04.5-desktop-amd64.iso')),
      'the old point release is gone from images/',
    );
    assert.not.ok(existsSync(paths.downloadRecord('ubuntu-22.04.5-desktop-amd64.iso')), 'and its record');
    assert.ok(
      logs.includes(
        'ubuntu-22.04.6-desktop-amd64.iso takes the place of ubuntu-22.04.5-desktop-amd64.iso ' +
          "(upstream's newer file); ubuntu-22.04.5-desktop-amd64.iso was removed from images/",
      ),
      logs.join('\n'),
    );
    assert.is((await fetch()).status, 'cached', 'and a rerun finds 22.04.6 current');
  },
);

test("the guide's URL coming back is used first, under the guide's name", async () => {
  publishRelease(server, { amd64 });
  const guide = serveGuideAgain(server, 'amd64', randomBytes(1 << 19));
  const result = await fetch();
  assert.is(result.name, 'jammy-desktop-amd64.iso');
  assert.is(result.sha256, guide.sha256);
  assert.is(result.found, undefined);
  assert.not.ok(
    server.requests.some((r) => r.path.startsWith(mirrored(releasesJammy))),
    'the released directory was not even asked',
  );
});

test(
  "no place lists one: exit 20, one message — the guide's " + 'URL is gone and why, what was tried, the three ways on',
  async () => {
    server.put(`${mirrored(releasesJammy)}SHA256SUMS`, `${'1'.repeat(64)} *ubuntu-22.04.5-live-server-amd64.iso\n`);
    const error = await rejection(fetch(), KubenetError);
    assert.is(error.code, ExitCode.download);
    assert.is(
      error.message,
      "the Ubuntu live ISO: the guide's " +
        'https://cdimage.ubuntu.com/jammy/daily-live/current/jammy-desktop-amd64.iso is gone — Ubuntu ' +
        "stopped publishing jammy's daily-live builds (the guide's issue #19) — and no other place lists one",
    );
    assert.is(
      error.details,
      [
        `  tried ${server.url}cdimage.ubuntu.com/jammy/daily-live/current/SHA256SUMS: HTTP 404`,
        `  tried ${server.url}releases.ubuntu.com/jammy/SHA256SUMS: lists no ubuntu-22.04.N-desktop-amd64.iso`,
      ].join('\n'),
    );
    assert.is(
      error.hint,
      'Three ways on: skip it — steps 9–11 do not need it, as the guide itself advises: kubenet run ' +
        '03-cloud-image; pick an ISO you have or want: --live-iso ' +
        'FILE|URL; or bring one you downloaded: kubenet import FILE.',
    );
    assert.equal(readdirSync(dir.path), [], 'nothing written, not even images/');
  },
);

test('--offline: the one found before, by its own name, without a request', async () => {
  publishRelease(server, { amd64 });
  await fetch();
  const before = server.requests.length;
  const offline = await fetch('x86_64', { offline: true });
  assert.equal([offline.status, offline.name], ['cached', 'ubuntu-22.04.5-desktop-amd64.iso']);
  assert.is(server.requests.length, before);
});

test('--offline with nothing here: exit 22, naming what was looked for', async () => {
  const error = await rejection(fetch('x86_64', { offline: true }), KubenetError);
  assert.is(error.code, ExitCode.offline);
  assert.is(
    error.message,
    '--offline: the Ubuntu live ISO is not in images/ or the shared cache ' +
      '(looked for jammy-desktop-amd64.iso, ubuntu-22.04.N-desktop-amd64.iso)',
  );
});

test('upstream unreachable with a verified copy here: one short try per place, then the copy, said once', async () => {
  publishRelease(server, { amd64 });
  await fetch();
  logs.length = 0;
  const result = await fetch('x86_64', { mirror: `http://127.0.0.1:${await freePort()}/` });
  assert.equal([result.status, result.name], ['cached', 'ubuntu-22.04.5-desktop-amd64.iso']);
  assert.equal(logs.filter((l) => l.includes('could not check upstream')).length, 1, logs.join('\n'));
});

test.run();
