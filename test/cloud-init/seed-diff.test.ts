import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { seedDifferences } from '../../lib/cloud-init/seed-diff.js';
import { renderStep } from '../../lib/explain/render-step.js';
import { guideSide } from '../../lib/explain/sides.js';
import { chapterTasks, planGuideStep } from '../helpers/chapter-tasks.js';

const test = suite('explain: the seed, guide vs kubenet');

test("shows the guide's user-data, kubenet's, and why the password is kept valid", () => {
  const text = seedDifferences().join('\n');
  assert.match(text, 'guide: cloud-init/user-data = #cloud-config / password: ubuntu\n');
  assert.match(
    text,
    'here:  cloud-init/user-data = #cloud-config / password: ubuntu / ' +
      'chpasswd: { expire: false } / ssh_authorized_keys: / - <your public key>\n',
  );
  assert.match(text, /chpasswd: \{ expire: false \} — with `password:` alone cloud-init expires the password/);
  assert.match(text, 'Password change required but no TTY available');
  assert.match(text, 'ssh_authorized_keys: — the key `kubenet ssh` logs in with');
  assert.match(text, 'instance-id: ubuntu0-<digest of the seed>');
});

test('every line kubenet adds is explained', () => {
  assert.not.match(seedDifferences().join('\n'), 'kubenet adds it');
});

test('explain --step 11 includes it', async () => {
  const side = guideSide('x86_64');
  const plan = await planGuideStep(11, {
    hostOs: side.hostOs,
    arch: side.arch,
    accel: side.facts.accel.accel,
    firmware: side.facts.firmware,
  });
  const step = chapterTasks.flatMap((t) => t.steps).find((s) => s.step === 11)!;
  const text = renderStep({
    step,
    run: 'kubenet run cloud-init',
    hostOs: side.hostOs,
    guide: { side, plan },
    host: { side, plan },
  });
  assert.match(text, "The seed kubenet writes differs from the guide's:");
  assert.match(text, 'chpasswd: { expire: false }');
});

test.run();
