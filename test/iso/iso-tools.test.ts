// Cross-checks the images kubenet writes against the tools people trust: isoinfo (genisoimage),
// xorriso, blkid, and the Linux kernel when this machine lets us loop-mount. A missing tool skips
// its cases with a message; CI installs them all.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { access, chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { buildIso } from '../../lib/iso/build-iso.js';
import { readFile as readIsoFile, readIso } from '../helpers/iso-reader.js';
import { testWhen } from '../helpers/skip.js';

const run = promisify(execFile);
const runBuffer = (file: string, args: string[]) =>
  run(file, args, { encoding: 'buffer', maxBuffer: 1 << 24 }).then((r) => r.stdout);
const runText = (file: string, args: string[]) => run(file, args, { encoding: 'utf8' });

async function onPath(tool: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(delimiter).concat('/usr/sbin', '/sbin')) {
    const candidate = join(dir, tool);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const pattern = (length: number, seed: number) => Buffer.from(Array.from({ length }, (_, i) => (i * 7 + seed) & 0xff));
const files = [
  { name: 'user-data', data: Buffer.from('#cloud-config\npassword: ubuntu\n') },
  { name: 'meta-data', data: Buffer.from('instance-id: ubuntu0\nlocal-hostname: ubuntu0\n') },
  { name: 'network-config', data: Buffer.alloc(0) },
  { name: 'vendor-data', data: pattern(6001, 9) },
];

const work = await mkdtemp(join(tmpdir(), 'kubenet-iso-tools-'));
const iso = join(work, 'cidata.iso');
await writeFile(iso, buildIso(files, { volumeId: 'cidata' }));

const tools = {
  isoinfo: await onPath('isoinfo'),
  xorriso: await onPath('xorriso'),
  blkid: await onPath('blkid'),
  genisoimage: await onPath('genisoimage'),
  bsdtar: await onPath('bsdtar'),
};

const test = suite('ISO images against real tools');

// Registers a case that needs a tool: a visible skip locally, a failure under CI=true.
const packageOf: Record<string, string> = { isoinfo: 'genisoimage', bsdtar: 'libarchive-tools' };
function withTool(tool: keyof typeof tools, title: string, body: (exe: string) => Promise<void>): void {
  const exe = tools[tool];
  testWhen(test, exe, `${tool} is not installed (apt-get install ${packageOf[tool] ?? tool})`, title, () => body(exe!));
}

// Extracted trees are read-only (0555/0444), so make them writable before deleting.
async function forceRemove(path: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) {
    await chmod(path, 0o755);
    for (const child of await readdir(path)) await forceRemove(join(path, child));
  }
  await rm(path, { recursive: true, force: true });
}

test.after(async () => {
  await forceRemove(work);
});

withTool(
  'isoinfo',
  'isoinfo -d sees volume id cidata, Joliet level 3, Rock Ridge and the right size',
  async (isoinfo) => {
    const { stdout } = await runText(isoinfo, ['-d', '-i', iso]);
    assert.match(stdout, /^Volume id: cidata$/m);
    assert.match(stdout, /^Joliet with UCS level 3 found$/m);
    assert.match(stdout, /^Rock Ridge signatures version 1 found$/m);
    const sectors = (await stat(iso)).size / 2048;
    assert.match(stdout, new RegExp(`^Volume size is: ${sectors}$`, 'm'));
  },
);

withTool('isoinfo', 'isoinfo -J -x and -R -x extract every file byte for byte', async (isoinfo) => {
  for (const file of files) {
    const joliet = await runBuffer(isoinfo, ['-J', '-x', `/${file.name}`, '-i', iso]);
    const rock = await runBuffer(isoinfo, ['-R', '-x', `/${file.name}`, '-i', iso]);
    assert.ok(joliet.equals(file.data), `Joliet ${file.name}: ${joliet.length} bytes`);
    assert.ok(rock.equals(file.data), `Rock Ridge ${file.name}: ${rock.length} bytes`);
  }
});

withTool('isoinfo', 'isoinfo -R -l lists the real names, mode -r--r--r-- and dr-xr-xr-x', async (isoinfo) => {
  const { stdout } = await runText(isoinfo, ['-R', '-l', '-i', iso]);
  const listed = stdout
    .split('\n')
    .filter((l) => /^[-d][-rwx]{9}/.test(l))
    .map((l) => [l.slice(0, 10), l.trim().split(/\s+/).at(-1)]);
  assert.equal(
    listed.sort(),
    [
      ['-r--r--r--', 'meta-data'],
      ['-r--r--r--', 'network-config'],
      ['-r--r--r--', 'user-data'],
      ['-r--r--r--', 'vendor-data'],
      ['dr-xr-xr-x', '.'],
      ['dr-xr-xr-x', '..'],
    ].sort(),
  );
});

withTool('xorriso', 'xorriso loads the image without a warning and lists the Rock Ridge names', async (xorriso) => {
  const { stdout } = await runText(xorriso, [
    '-abort_on',
    'FAILURE',
    '-return_with',
    'WARNING',
    '32',
    '-indev',
    iso,
    '-find',
    '/',
    '-exec',
    'lsdl',
  ]);
  const names = stdout
    .split('\n')
    .map((l) => /'\/([^']*)'$/.exec(l)?.[1])
    .filter((n): n is string => n !== undefined);
  assert.equal(names.sort(), ['', 'meta-data', 'network-config', 'user-data', 'vendor-data']);
  assert.match(stdout, /^dr-xr-xr-x .*'\/'$/m);
});

withTool('xorriso', 'xorriso extracts files with their contents and modes', async (xorriso) => {
  const out = join(work, 'extracted');
  await runText(xorriso, [
    '-abort_on',
    'FAILURE',
    '-return_with',
    'WARNING',
    '32',
    '-indev',
    iso,
    '-osirrox',
    'on',
    '-extract',
    '/',
    out,
  ]);
  assert.equal((await readdir(out)).sort(), files.map((f) => f.name).sort());
  for (const file of files) {
    const path = join(out, file.name);
    assert.ok((await readFile(path)).equals(file.data), file.name);
    assert.is((await stat(path)).mode & 0o777, 0o444, file.name);
  }
});

withTool('blkid', 'blkid -p reports TYPE=iso9660 and LABEL=cidata, as for a genisoimage seed', async (blkid) => {
  const { stdout } = await runText(blkid, ['-p', '-o', 'export', iso]);
  assert.match(stdout, /^TYPE=iso9660$/m);
  assert.match(stdout, /^LABEL=cidata$/m);
});

withTool(
  'genisoimage',
  'the test reader reads a genisoimage seed the same way (the reader is not tuned to kubenet)',
  async (genisoimage) => {
    const src = join(work, 'src');
    await mkdir(src);
    for (const file of files) await writeFile(join(src, file.name), file.data);
    const reference = join(work, 'reference.iso');
    await runText(genisoimage, [
      '-quiet',
      '-output',
      reference,
      '-volid',
      'cidata',
      '-joliet',
      '-rock',
      ...files.map((f) => join(src, f.name)),
    ]);
    const image = await readFile(reference);
    const view = readIso(image);
    assert.is(view.descriptors.primary.volumeId, 'cidata');
    assert.is(view.descriptors.joliet?.volumeId, 'cidata');
    for (const file of files) {
      assert.ok(readIsoFile(image, view.joliet.get(file.name)!).equals(file.data), `Joliet ${file.name}`);
      assert.ok(readIsoFile(image, view.rockRidge.get(file.name)!.record).equals(file.data), `Rock Ridge ${file.name}`);
    }
    const ours = readIso(await readFile(iso));
    assert.equal([...ours.primary.keys()].sort(), [...view.primary.keys()].sort(), 'same 8.3 names as genisoimage');
  },
);

// The Linux kernel's isofs reads the seed in every end-to-end boot (the guests mount it); loop
// mounts are not available on these machines, so libarchive is the third reader here.
withTool(
  'bsdtar',
  'libarchive (bsdtar) lists the Rock Ridge names and modes and extracts every file',
  async (bsdtar) => {
    const { stdout } = await runText(bsdtar, ['-tvf', iso]);
    const listed = stdout
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => [l.slice(0, 10), l.trim().split(/\s+/).at(-1)]);
    assert.equal(listed.filter(([, name]) => name !== '.').sort(), files.map((f) => ['-r--r--r--', f.name]).sort());
    const out = join(work, 'bsdtar');
    await mkdir(out);
    await runText(bsdtar, ['-xf', iso, '-C', out]);
    for (const file of files) assert.ok((await readFile(join(out, file.name))).equals(file.data), file.name);
  },
);

test.run();
