import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cliName, speak } from '../../lib/cli/cli-name.js';
import { kubenet } from '../helpers/cli.js';

const test = suite('hints in the form the user ran');
const npx = { npm_lifecycle_event: 'npx', npm_lifecycle_script: 'kubenet' };

test('npx kubenet is recognised; npx of another tool, npm test and a plain run are not', () => {
  assert.is(cliName(npx), 'npx kubenet');
  assert.is(cliName({ npm_lifecycle_event: 'npx', npm_lifecycle_script: 'uvu' }), 'kubenet');
  assert.is(cliName({ npm_lifecycle_event: 'test', npm_command: 'run-script' }), 'kubenet');
  assert.is(cliName({}), 'kubenet');
  assert.is(cliName({ ...npx, KUBENET_CLI: 'kn' }), 'kn');
});

test('only "kubenet <command>" is rewritten, not file names or the project name', () => {
  const text = 'run kubenet run 00-qemu first (kubenet guide); kubenet: error in images/kubenet/x, kubenet-nat.sh';
  assert.is(
    speak(text, 'npx kubenet'),
    'run npx kubenet run 00-qemu first (npx kubenet guide); kubenet: error in images/kubenet/x, kubenet-nat.sh',
  );
});

test('errors and the guide speak npx kubenet when run through npx', () => {
  const r = kubenet(['run', 'nope'], { env: npx });
  assert.match(r.stderr, 'npx kubenet list shows the tasks');
  assert.match(
    kubenet(['guide', '--images', '/nonexistent/images'], { env: npx }).stdout,
    'Next: npx kubenet run 00-qemu',
  );
});

test.run();
