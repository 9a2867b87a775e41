// Settings that stick: kubenet.yaml, KUBENET_* variables and the command line, in that order of
// strength, checked once.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, isKubenetError } from '../../lib/errors.js';
import { loadSettings } from '../../lib/settings/settings.js';
import { kubenet } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('settings: file, environment, command line');
let dir: ReturnType<typeof tempDir>;
test.before.each(() => {
  dir = tempDir('kubenet-settings-');
});
test.after.each(() => dir.remove());

const file = (text: string) => writeFileSync(join(dir.path, 'kubenet.yaml'), text);
const failure = async (load: () => Promise<unknown>): Promise<Error & { code: number; hint?: string }> => {
  try {
    await load();
  } catch (error) {
    assert.ok(isKubenetError(error));
    return error;
  }
  throw new Error('expected an error');
};

test('kubenet.yaml sets what the command line would, and says where it came from', async () => {
  file('accel: tcg\narch: x86_64\nmirror: http://mirror.test/base\nimages: ../elsewhere\nsmp: 4\noffline: true\n');
  const s = await loadSettings({}, {}, dir.path);
  assert.equal([s.accel, s.arch, s.mirror, s.smp, s.offline], ['tcg', 'x86_64', 'http://mirror.test/base/', 4, true]);
  assert.is(s.images, join(dir.path, '..', 'elsewhere'), 'a relative path is relative to the file');
  assert.is(s.sources.accel, join(dir.path, 'kubenet.yaml'));
});

test(
  'live-iso: a file relative to kubenet.yaml, an https URL ' +
    'as given, from the file, KUBENET_LIVE_ISO or --live-iso',
  async () => {
    file('live-iso: iso/mine.iso\n');
    assert.is((await loadSettings({}, {}, dir.path)).liveIso, join(dir.path, 'iso', 'mine.iso'));
    const url = 'https://mirror.test/isos/ubuntu-22.04.5-desktop-amd64.iso';
    const s = await loadSettings({}, { KUBENET_LIVE_ISO: url }, dir.path);
    assert.equal([s.liveIso, s.sources['live-iso']], [url, 'KUBENET_LIVE_ISO']);
    assert.is(
      (await loadSettings({ 'live-iso': 'rel.iso' }, {}, join(dir.path, 'sub'))).liveIso,
      join(dir.path, 'sub', 'rel.iso'),
      'on the command line: relative to the working folder',
    );
  },
);

test(
  'live-iso: a plain-http URL, or one without a file ' + 'name, is refused naming where it came from (exit 2)',
  async () => {
    for (const [value, what] of [
      ['http://mirror.test/x.iso', 'is not an https URL of a file'],
      ['https://mirror.test/isos/', 'is not an https URL of a file'],
    ] as const) {
      const e = await failure(() => loadSettings({ 'live-iso': value }, {}, dir.path));
      assert.is(e.code, ExitCode.usage);
      assert.is(e.message, `--live-iso ${value} ${what}`);
    }
  },
);

test('the environment wins over the file, the command line over both', async () => {
  file('accel: tcg\nnet: none\n');
  const s = await loadSettings({ net: 'user' }, { KUBENET_ACCEL: 'kvm', KUBENET_NET: 'vmnet-shared' }, dir.path);
  assert.equal([s.accel, s.net], ['kvm', 'user']);
  assert.equal([s.sources.accel, s.sources.net], ['KUBENET_ACCEL', '--net']);
});

test('a bad value names where it came from', async () => {
  file('accel: xen\n');
  const e = await failure(() => loadSettings({}, {}, dir.path));
  assert.is(e.code, ExitCode.usage);
  assert.is(e.message, `accel: in ${join(dir.path, 'kubenet.yaml')}, xen is not one of: hvf, kvm, tcg`);
  file('accel: tcg\n');
  assert.match(
    (await failure(() => loadSettings({}, { KUBENET_SMP: 'two' }, dir.path))).message,
    'KUBENET_SMP two is not a positive whole number',
  );
});

test("kubenet.yaml's cluster: mapping is checked when it is read and reaches the settings", async () => {
  file('cluster:\n  workers: 1\n  resources:\n    worker: { cpus: 1, memory: 512M }\n');
  const s = await loadSettings({}, {}, dir.path);
  assert.equal(s.cluster, { workers: 1, resources: { worker: { cpus: 1, memory: '512M' } } });
  assert.is(s.sources.cluster, join(dir.path, 'kubenet.yaml'));
  file('cluster:\n  workers: many\n');
  assert.match((await failure(() => loadSettings({}, {}, dir.path))).message, 'workers many is not a whole number');
  file('clustr:\n  workers: 1\n');
  assert.match((await failure(() => loadSettings({}, {}, dir.path))).message, 'did you mean cluster?');
});

test('an unknown key suggests the one meant; broken YAML says where', async () => {
  file('acel: tcg\n');
  assert.match(
    (await failure(() => loadSettings({}, {}, dir.path))).message,
    'unknown setting "acel" (did you mean accel?)',
  );
  file('accel: [tcg\n');
  assert.match((await failure(() => loadSettings({}, {}, dir.path))).message, /not valid YAML at line \d+, column \d+/);
});

test('no file and no variables: the defaults, and nothing is required', async () => {
  const s = await loadSettings({}, {}, dir.path);
  assert.equal([s.images, s.accel, s.mirror, s.sources], [join(dir.path, 'images'), undefined, undefined, {}]);
});

test("kubenet config shows each setting and its source; list judges 00-qemu with the file's accelerator", () => {
  file('accel: tcg\n');
  const r = kubenet(['config'], { cwd: dir.path });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^accel +tcg +\(.*kubenet\.yaml\)$/m);
  assert.match(r.stdout, /^smp +2$/m);
  const json = JSON.parse(
    kubenet(['config', '--json'], { cwd: dir.path, env: { KUBENET_ARCH: 'aarch64' } }).stdout,
  ) as { key: string; value: unknown; from: string }[];
  assert.equal(
    json.find((r) => r.key === 'arch'),
    { key: 'arch', value: 'aarch64', from: 'KUBENET_ARCH' },
  );
});

test.run();
