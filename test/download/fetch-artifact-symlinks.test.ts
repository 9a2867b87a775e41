// Links planted in images/ where kubenet keeps its own files: kubenet refuses them, naming the
// file, and the file they point at (outside images/) is untouched. images/ itself may be a link.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync } from 'node:fs';
import { link, mkdir, readFile, rename, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fetchArtifact } from '../../lib/download/index.js';
import { ExitCode, KubenetError } from '../../lib/errors.js';
import { makePaths } from '../../lib/paths.js';
import { downloadFixture, fileName, type DownloadFixture } from '../helpers/download-fixture.js';
import { rejection } from '../helpers/rejection.js';
import { within } from '../helpers/within.js';

const test = suite('fetchArtifact and planted links');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function withFixture(
  run: (f: DownloadFixture, victim: { path: string; sha256: string }) => Promise<void>,
): Promise<void> {
  const f = await downloadFixture(1 << 20);
  try {
    const victim = join(f.dir, 'victim.txt'); // outside images/
    const content = Buffer.from("a file that is not kubenet's: ~/.bashrc, say\n");
    await writeFile(victim, content, { mode: 0o644 });
    await mkdir(f.paths.root, { recursive: true });
    await run(f, { path: victim, sha256: sha(content) });
  } finally {
    await f.dispose();
  }
}

const refusal = (f: DownloadFixture, options = {}) =>
  rejection(
    within(10_000, 'the download', (signal) => fetchArtifact({ url: f.url }, { ...f.options, signal, ...options })),
    KubenetError,
  );

async function assertUntouched(victim: { path: string; sha256: string }): Promise<void> {
  assert.is(sha(await readFile(victim.path)), victim.sha256, "the victim's bytes are unchanged");
  assert.is(lstatSync(victim.path).mode & 0o777, 0o644, "the victim's mode is unchanged");
}

const partialMeta = (f: DownloadFixture) =>
  JSON.stringify({ url: f.url, sha256: f.sha256, validators: {}, total: f.body.length });

for (const [what, plant] of [
  [
    'the partial download, with its record',
    async (f: DownloadFixture, victim: string) => {
      await symlink(victim, f.paths.partial(fileName));
      await writeFile(f.paths.partialMeta(fileName), partialMeta(f));
      return f.paths.partial(fileName);
    },
  ],
  [
    'the partial download, alone',
    async (f: DownloadFixture, victim: string) => {
      await symlink(victim, f.paths.partial(fileName));
      return f.paths.partial(fileName);
    },
  ],
  [
    "the partial download's record",
    async (f: DownloadFixture, victim: string) => {
      await symlink(victim, f.paths.partialMeta(fileName));
      return f.paths.partialMeta(fileName);
    },
  ],
  [
    'the final file',
    async (f: DownloadFixture, victim: string) => {
      await symlink(victim, f.paths.artifact(fileName));
      return f.paths.artifact(fileName);
    },
  ],
  [
    'the download record',
    async (f: DownloadFixture, victim: string) => {
      await mkdir(join(f.paths.meta, 'downloads'), { recursive: true });
      await symlink(victim, f.paths.downloadRecord(fileName));
      return f.paths.downloadRecord(fileName);
    },
  ],
  [
    'the lock',
    async (f: DownloadFixture, victim: string) => {
      await mkdir(join(f.paths.meta, 'locks'), { recursive: true });
      await symlink(victim, f.paths.lock(`download-${fileName}`));
      return f.paths.lock(`download-${fileName}`);
    },
  ],
] as const) {
  test(`a link at ${what} is refused, naming it, and its target is untouched`, () =>
    withFixture(async (f, victim) => {
      const link = await plant(f, victim.path);
      const error = await refusal(f);
      assert.is(error.code, ExitCode.host);
      assert.match(error.message, `${link} is a symbolic link where kubenet keeps its own`);
      assert.match(error.message, `(it points to ${victim.path})`);
      assert.match(error.hint ?? '', `rm ${JSON.stringify(link)}`);
      await assertUntouched(victim);
      assert.ok(lstatSync(link).isSymbolicLink(), 'the link is left for the user to look at');
      if (link !== f.paths.artifact(fileName)) assert.not.ok(existsSync(f.paths.artifact(fileName)), 'no final file');
      const lock = f.paths.lock(`download-${fileName}`);
      assert.ok(link === lock || !existsSync(lock), 'no lock left');
    }));
}

test("a link at kubenet's own .kubenet folder is refused, and nothing is written where it points", () =>
  withFixture(async (f, victim) => {
    const elsewhere = join(f.dir, 'elsewhere');
    await mkdir(elsewhere);
    await symlink(elsewhere, f.paths.meta);
    const error = await refusal(f);
    assert.is(error.code, ExitCode.host);
    assert.match(error.message, `${f.paths.meta} is a symbolic link where kubenet keeps its own`);
    assert.match(error.message, `(it points to ${elsewhere})`);
    assert.not.ok(existsSync(join(elsewhere, 'locks')));
    await assertUntouched(victim);
  }));

test('a partial that is a hard link to a file elsewhere is started over as a new file, never written into', () =>
  withFixture(async (f, victim) => {
    await link(victim.path, f.paths.partial(fileName));
    await writeFile(f.paths.partialMeta(fileName), partialMeta(f));
    const result = await within(10_000, 'the download', (signal) =>
      fetchArtifact({ url: f.url }, { ...f.options, signal }),
    );
    assert.is(result.status, 'downloaded');
    assert.is(result.sha256, f.sha256);
    await assertUntouched(victim);
  }));

test('--offline refuses a link at the final file too', () =>
  withFixture(async (f, victim) => {
    await symlink(victim.path, f.paths.artifact(fileName));
    const error = await refusal(f, { offline: true });
    assert.is(error.code, ExitCode.host);
    assert.match(error.message, `${f.paths.artifact(fileName)} is `);
    await assertUntouched(victim);
  }));

test("images/ itself may be a link to the user's own folder: downloads go there", () =>
  withFixture(async (f) => {
    const real = join(f.dir, 'big-disk');
    await rename(f.paths.root, real);
    await symlink(real, f.paths.root);
    const result = await fetchArtifact({ url: f.url }, f.options);
    assert.is(result.sha256, f.sha256);
    const inReal = makePaths(real).artifact(fileName);
    assert.ok(lstatSync(inReal).isFile());
    assert.is(lstatSync(inReal).mode & 0o777, 0o444);
  }));

test.run();
