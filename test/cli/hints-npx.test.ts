// Under npx, every hint says `npx kubenet …`, whichever path printed it: errors, notes, the boot
// block's reasons, help, status, doctor, explain, guide, the new commands. Each command below is
// run as npx runs it, and none of its output may name a command as a bare `kubenet …`.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { commandNames } from '../../lib/cli/option-specs.js';
import { speak } from '../../lib/cli/cli-name.js';
import { kubenetAsync } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('hints under npx');
const npx = { npm_lifecycle_event: 'npx', npm_lifecycle_script: 'kubenet' };
const bare = new RegExp(`(?<!npx )(?<![\\w/.-])kubenet (?:${commandNames.join('|')})\\b`);
let dir: ReturnType<typeof tempDir>;
test.before(() => {
  dir = tempDir('kubenet-npx-');
});
test.after(() => dir.remove());

test('speak is idempotent: what is spoken already stays as it is', () => {
  assert.is(
    speak('npx kubenet run 00-qemu, then kubenet status', 'npx kubenet'),
    'npx kubenet run 00-qemu, then npx kubenet status',
  );
  assert.is(speak(speak('kubenet stop gateway', 'npx kubenet'), 'npx kubenet'), 'npx kubenet stop gateway');
});

const paths: string[][] = [
  ['help'],
  ['help', 'run'],
  ['help', 'console'],
  ['--help'],
  ['list'],
  ['guide'],
  ['doctor'],
  ['status'],
  ['config'],
  ['run', 'nope'],
  ['run', '03-cloud-image', '--dry-run'],
  ['run', '30-cluster', '--dry-run'],
  ['run', 'network', '--vm', 'gateway'],
  ['explain', 'network'],
  ['reset', '03-cloud-image'],
  ['stop', 'nope'],
  ['stop'],
  ['ssh', 'gateway', '--wait', '0'],
  ['console', 'nope'],
  ['console'],
  ['delete', 'nope'],
  ['delete'],
  ['cp', 'a'],
  ['cp', 'a', 'nope:'],
  ['ssh-config'],
  ['cache'],
  ['nope'],
  ['run', '--bogus'],
];

for (const args of paths) {
  test(`kubenet ${args.join(' ')}: every hint says npx kubenet`, async () => {
    const r = await kubenetAsync(
      [
        ...args,
        ...(args[0] === 'help' || args[0] === '--help' || args[0] === 'nope'
          ? []
          : ['--images', join(dir.path, 'images')]),
      ],
      {
        cwd: dir.path,
        env: { ...npx, HOME: join(dir.path, 'home') },
        timeoutMs: 120_000,
      },
    );
    const out = `${r.stdout}\n${r.stderr}`;
    assert.not.match(out, bare, out);
  });
}

test.run();
