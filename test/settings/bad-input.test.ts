// Hostile or mistaken settings: each is a usage error (exit 2) up front, said in words, bounded in
// time and memory, and never echoing what a file holds. Through the real CLI where the failure
// mode was a crash, a hang or a leak (stack traces, FIFOs, /dev/zero, a secret file).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, isKubenetError } from '../../lib/errors.js';
import { loadSettings } from '../../lib/settings/settings.js';
import { kubenetAsync } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('settings: bad input');
let dir: ReturnType<typeof tempDir>;
test.before.each(() => {
  dir = tempDir('kubenet-bad-settings-');
});
test.after.each(() => dir.remove());

const file = (name: string, text: string) => {
  const path = join(dir.path, name);
  writeFileSync(path, text);
  return path;
};
const usageError = async (cli: Record<string, unknown>, env: NodeJS.ProcessEnv): Promise<string> => {
  try {
    await loadSettings(cli, env, dir.path);
  } catch (error) {
    assert.ok(isKubenetError(error), String((error as Error)?.stack));
    assert.is(error.code, ExitCode.usage, error.message);
    return error.message;
  }
  throw new Error('expected a usage error');
};
// The CLI's whole answer, bounded: a hang would fail here, not hold the suite.
const config = (env: NodeJS.ProcessEnv) => kubenetAsync(['config'], { cwd: dir.path, env, timeoutMs: 20_000 });
const noStack = (text: string) => assert.not.match(text, /^\s+at .*:\d+:\d+\)?$/m, `a stack trace:\n${text}`);

// "Billion laughs": nine levels of nine aliases each.
const bomb = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
].join('\n');

test('a YAML alias bomb in kubenet.yaml is a usage error in words, not a crash with a stack trace', async () => {
  file('kubenet.yaml', `${bomb}\n`);
  const r = await config({});
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, 'uses YAML aliases (*name) more than 100 times over');
  noStack(r.stderr);
});

test('a YAML alias bomb in --user-data (#cloud-config) is refused the same way', async () => {
  const path = file('user-data', `#cloud-config\n${bomb}\n`);
  assert.match(await usageError({ 'user-data': path }, {}), 'uses YAML aliases (*name) more than 100 times over');
});

test('an alias to no anchor is a usage error, not a ReferenceError', async () => {
  file('kubenet.yaml', 'accel: *fast\n');
  const r = await config({});
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, 'has an alias (*name) to no anchor (&name) before it');
  noStack(r.stderr);
});

test('KUBENET_CONFIG=/dev/zero is refused at once, not read into memory', async () => {
  const r = await config({ KUBENET_CONFIG: '/dev/zero' });
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, 'KUBENET_CONFIG=/dev/zero is a device: kubenet reads it only from a regular file');
});

test('KUBENET_CONFIG naming a FIFO is refused at once, not waited on', async () => {
  const fifo = join(dir.path, 'fifo');
  execFileSync('mkfifo', [fifo]);
  const r = await config({ KUBENET_CONFIG: fifo });
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, `KUBENET_CONFIG=${fifo} is a named pipe (FIFO)`);
});

test('a kubenet.yaml larger than 1 MiB is refused', async () => {
  file('kubenet.yaml', `# ${'x'.repeat(2 << 20)}\naccel: tcg\n`);
  const r = await config({});
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, 'is larger than 1024 KiB');
});

test('KUBENET_USER_DATA=/etc/shadow (or any file that is not user-data) never shows its content', async () => {
  const secret = file('shadow', 'root:$y$j9T$S3CRETHASHVALUE:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n');
  for (const path of [secret, ...(process.geteuid?.() === 0 ? ['/etc/shadow'] : [])]) {
    const r = await config({ KUBENET_USER_DATA: path });
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, 'does not start with #cloud-config');
    assert.not.match(r.stderr, 'S3CRETHASH');
    assert.not.match(r.stderr, /root:/);
  }
  const broken = file('user-data', '#cloud-config\npassword: "S3CRET\\q"\n');
  const r = await config({ KUBENET_USER_DATA: broken });
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, 'is not valid YAML at line 2');
  assert.not.match(r.stderr, 'S3CRET');
});

test('KUBENET_USER_DATA=/dev/zero and a FIFO are refused at once', async () => {
  const fifo = join(dir.path, 'fifo');
  execFileSync('mkfifo', [fifo]);
  assert.match(await usageError({}, { KUBENET_USER_DATA: '/dev/zero' }), 'is a device');
  assert.match(await usageError({}, { KUBENET_USER_DATA: fifo }), 'is a named pipe (FIFO)');
});

for (const [what, cli, env, yaml, expected] of [
  ['KUBENET_OFFLINE=maybe', {}, { KUBENET_OFFLINE: 'maybe' }, '', 'KUBENET_OFFLINE=maybe is not yes or no'],
  ['smp: 1e11 in kubenet.yaml', {}, {}, 'smp: 1e11\n', 'is not a whole number from 1 to 1024'],
  ['--smp 100000', { smp: '100000' }, {}, '', '--smp 100000 is not a whole number from 1 to 1024'],
  ['disk-size: 0', {}, {}, 'disk-size: 0\n', 'disk-size: in'],
  ['--disk-size 0G', { 'disk-size': '0G' }, {}, '', '--disk-size 0G is out of range: from 1M to 1024T'],
  ['KUBENET_MEMORY=0', {}, { KUBENET_MEMORY: '0' }, '', 'KUBENET_MEMORY 0 is out of range: from 16M to 16T'],
  ['--memory 99999T', { memory: '99999T' }, {}, '', '--memory 99999T is out of range'],
  [
    '--memory 8 (MiB, as QEMU reads a number alone)',
    { memory: '8' },
    {},
    '',
    '--memory 8 is out of range: from 16M to 16T',
  ],
  ['cluster: disk-size: 0', {}, {}, 'cluster:\n  disk-size: 0\n', 'cluster: disk-size 0 is out of range'],
  [
    'cluster: a worker with 0M of memory',
    {},
    {},
    'cluster:\n  resources:\n    worker: { memory: 0M }\n',
    'resources.worker.memory 0M is out of range',
  ],
] as const) {
  test(`${what} is refused, naming it`, async () => {
    file('kubenet.yaml', yaml);
    assert.match(await usageError(cli, env), expected);
  });
}

test('values in range still pass: offline=no, smp 2, 512 (MiB), 20G', async () => {
  file('kubenet.yaml', 'smp: 2\nmemory: 512\ndisk-size: 20G\n');
  const s = await loadSettings({}, { KUBENET_OFFLINE: 'no' }, dir.path);
  assert.equal([s.offline, s.smp, s.memory, s.diskSize], [false, 2, '512', '20G']);
});

test.run();
