// The live ISO as a reader meets it today (issue 18 §1), through the CLI and a mirror laid out as
// upstream is: found under jammy's released name, said once with why; none anywhere is exit 20 with
// the ways on; --live-iso picks the reader's own file (used in place) or URL (verified against the
// SHA256SUMS beside it); import recognises the released names. No boot: see e2e/live-cd.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kubenetAsync } from '../helpers/cli.js';
import { publish, startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { tempDir } from '../helpers/tmp.js';
import { dailyLiveGone, publishRelease, releasesJammy } from '../helpers/ubuntu-mirror.js';

const test = suite('the live ISO, from the command line');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const body = randomBytes(300_000);
let dir: ReturnType<typeof tempDir>;
let server: FaultServer;

test.before.each(async () => {
  dir = tempDir('kubenet-live-iso-');
  server = await startFaultServer();
  dailyLiveGone(server);
});
test.after.each(async () => {
  await server.close();
  dir.remove();
});

const images = () => join(dir.path, 'images');
const kubenet = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  kubenetAsync([...args, '--arch', 'x86_64', '--images', images()], { env, timeoutMs: 60_000 });

test(
  "run live-iso: jammy's released desktop ISO, under its own " +
    'name; the difference from the guide said once, with why',
  async () => {
    publishRelease(server, { amd64: body });
    const r = await kubenet(['run', 'live-iso', '--mirror', server.url]);
    assert.is(r.code, 0, r.stderr + r.stdout);
    assert.match(
      r.stdout,
      `ubuntu-22.04.5-desktop-amd64.iso: downloaded and verified (sha256 ${sha(body).slice(0, 16)}…)`,
    );
    const said = r.stdout.split('\n').filter((l) => l.includes("the guide's jammy-desktop-amd64.iso"));
    assert.equal(
      said.map((l) => l.trim()),
      [
        `download: Ubuntu stopped publishing jammy's daily-live builds (the ` +
          `guide's issue #19): the guide's jammy-desktop-amd64.iso is gone, so ` +
          `kubenet uses ubuntu-22.04.5-desktop-amd64.iso from ${releasesJammy} instead`,
      ],
    );
    const list = await kubenet(['list']);
    assert.match(list.stdout, /live-iso +ubuntu-22\.04\.5-desktop-amd64\.iso {2}verified/);
    const dry = await kubenet(['run', '02-live-cd', '--step', '5', '--dry-run']);
    assert.match(
      dry.stdout,
      /^ +-cdrom ubuntu-22\.04\.5-desktop-amd64\.iso$/m,
      'the command names the file that is there',
    );
    const prefetch = await kubenet(['prefetch', 'live-iso', '--mirror', server.url]);
    assert.match(prefetch.stdout, `ubuntu-22.04.5-desktop-amd64.iso  293.0 KiB  sha256:${sha(body)}  cached`);
  },
);

test(
  "no place has one: exit 20, one message — the guide's URL " +
    'gone (its issue #19), what was tried, the three ways on',
  async () => {
    server.put(`/releases.ubuntu.com/jammy/SHA256SUMS`, `${'2'.repeat(64)} *ubuntu-22.04.5-live-server-amd64.iso\n`);
    const r = await kubenet(['run', '02-live-cd', '--mirror', server.url]);
    assert.is(r.code, 20, r.stderr + r.stdout);
    const message = r.stderr.slice(r.stderr.indexOf('kubenet: '));
    assert.is(message.match(/^kubenet: /gm)?.length, 1, 'one message');
    assert.match(
      message,
      "kubenet: the Ubuntu live ISO: the guide's " +
        'https://cdimage.ubuntu.com/jammy/daily-live/current/jammy-desktop-amd64.iso is gone — Ubuntu ' +
        "stopped publishing jammy's daily-live builds (the guide's issue #19) — and no other place lists one",
    );
    assert.match(message, `tried ${server.url}cdimage.ubuntu.com/jammy/daily-live/current/SHA256SUMS: HTTP 404`);
    assert.match(
      message,
      `tried ${server.url}releases.ubuntu.com/jammy/SHA256SUMS: lists no ubuntu-22.04.N-desktop-amd64.iso`,
    );
    assert.match(
      message,
      'Three ways on: skip it — steps 9–11 do not need it, as the guide itself advises: kubenet run ' +
        '03-cloud-image; pick an ISO you have or want: --live-iso ' +
        'FILE|URL; or bring one you downloaded: kubenet import FILE.',
    );
    assert.not.ok(existsSync(join(images(), 'ubuntu.img')), 'nothing made');
  },
);

test(
  "--live-iso FILE: the reader's own ISO, used where it is — the " +
    'command names it, the file is never moved, linked or changed',
  async () => {
    const mine = join(dir.path, 'isos', 'my live.iso');
    mkdirSync(join(dir.path, 'isos'));
    writeFileSync(mine, body, { mode: 0o644 });
    const before = statSync(mine);
    const dry = await kubenet(['run', '02-live-cd', '--step', '5', '--dry-run', '--live-iso', mine]);
    assert.is(dry.code, 0, dry.stderr);
    // quoted as a shell would need it; run as one argv word
    assert.ok(dry.stdout.includes(`    -cdrom '${mine}'\n`), dry.stdout);
    const r = await kubenet(['run', 'live-iso', '--live-iso', mine]);
    assert.is(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      `live-iso: your ${mine} (--live-iso), used where it is and as it is: kubenet neither moves nor changes it`,
    );
    const after = statSync(mine);
    assert.equal([after.ino, after.nlink, after.mtimeMs, after.mode & 0o777], [before.ino, 1, before.mtimeMs, 0o644]);
    assert.equal(server.requests, [], 'nothing asked of upstream');
    const missing = await kubenet(['run', 'live-iso'], { KUBENET_LIVE_ISO: join(dir.path, 'nope.iso') });
    assert.is(missing.code, 2, missing.stderr);
    assert.match(missing.stderr, `KUBENET_LIVE_ISO ${join(dir.path, 'nope.iso')}: no such file`);
  },
);

test('--live-iso URL: downloaded and verified against the SHA256SUMS beside it (through the mirror)', async () => {
  const { url } = publish(server, 'https://isos.example.test/jammy/', 'my-live.iso', body);
  const r = await kubenet(['run', 'live-iso', '--live-iso', url, '--mirror', server.url]);
  assert.is(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, `my-live.iso: downloaded and verified (sha256 ${sha(body).slice(0, 16)}…)`);
  assert.ok(readFileSync(join(images(), 'my-live.iso')).equals(body));
  const bad = await kubenet([
    'run',
    'live-iso',
    '--live-iso',
    url.replace('my-live', 'tampered'),
    '--mirror',
    server.url,
  ]);
  assert.is(bad.code, 20, 'a URL whose SHA256SUMS does not list it is refused');
  assert.match(bad.stderr, 'lists no digest for tampered.iso');
});

test('import recognises the released ISO by its name, and the run after it uses it', async () => {
  publishRelease(server, { amd64: body });
  const downloads = join(dir.path, 'Downloads');
  mkdirSync(downloads);
  writeFileSync(join(downloads, 'ubuntu-22.04.5-desktop-amd64.iso'), body);
  const r = await kubenet(['import', join(downloads, 'ubuntu-22.04.5-desktop-amd64.iso'), '--mirror', server.url]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, `checked against ${server.url}releases.ubuntu.com/jammy/SHA256SUMS`);
  const run = await kubenet(['run', 'live-iso', '--mirror', server.url]);
  assert.match(run.stdout, 'ubuntu-22.04.5-desktop-amd64.iso: verified copy is current');
  assert.is(server.requests.filter((q) => q.path.endsWith('.iso')).length, 0, 'the ISO was never downloaded');
});

test('explain and guide say the difference from the guide, with why', async () => {
  const explain = await kubenet(['explain', '02-live-cd', '--step', '5']);
  assert.match(
    explain.stdout,
    '  guide: -cdrom jammy-desktop-amd64.iso\n  here:  -cdrom ubuntu-22.04.N-desktop-amd64.iso\n',
  );
  assert.match(
    explain.stdout,
    "Ubuntu stopped publishing jammy's daily-live builds (the guide's issue #19); kubenet asks the guide's URL first",
  );
  const guide = await kubenet(['guide']);
  assert.match(
    guide.stdout,
    "Steps 5–8 use ubuntu-22.04.N-desktop-amd64.iso, not the guide's jammy-desktop-amd64.iso: " +
      "Ubuntu stopped publishing jammy's daily-live builds (the guide's issue #19)",
  );
  const download = await kubenet(['explain', 'live-iso']);
  assert.match(download.stdout, `    2. ${releasesJammy}ubuntu-22.04.N-desktop-amd64.iso`);
});

test.run();
