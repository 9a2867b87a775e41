// The kinds that are words: a choice, yes or no, a list of VMs, what a console must show.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ExitCode, isKubenetError } from '../../lib/errors.js';
import type { Kind } from '../../lib/kinds/kind.js';
import { choice, consoleWait, onOff, vmList, word } from '../../lib/kinds/words.js';

const test = suite('kinds: words');
const at = (name: string) => ({ name, base: '/nowhere' });
const refused = (kind: Kind<unknown>, name: string, text: string): string => {
  try {
    kind.parse(text, at(name));
  } catch (error) {
    assert.ok(isKubenetError(error));
    assert.is(error.code, ExitCode.usage);
    return error.message;
  }
  throw new Error(`${name} ${text} was taken`);
};

test('a choice: one of its values, or refused listing them', () => {
  const accel = choice('ACCEL', ['hvf', 'kvm', 'tcg']);
  assert.is(accel.parse('tcg', at('--accel')), 'tcg');
  for (const text of ['TCG', 'xen', '', ' tcg']) {
    assert.is(refused(accel, '--accel', text), `--accel ${text} is not one of: hvf, kvm, tcg`);
  }
  assert.equal([accel.word, accel.complete], ['ACCEL', ['hvf', 'kvm', 'tcg']]);
});

test('yes or no: these words only, so a typo is no silent "no"', () => {
  for (const text of ['1', 'true', 'YES', 'on']) assert.is(onOff.parse(text, at('KUBENET_OFFLINE')), true, text);
  for (const text of ['0', 'false', 'No', 'off']) assert.is(onOff.parse(text, at('KUBENET_OFFLINE')), false, text);
  for (const text of ['maybe', '2', 'y', '']) {
    assert.is(refused(onOff, 'KUBENET_OFFLINE', text), `KUBENET_OFFLINE=${text} is not yes or no`);
  }
});

test('a list of VMs: names or ids, comma-separated; one that names none is refused', () => {
  assert.equal(vmList.parse('worker0', at('--vm')), ['worker0']);
  assert.equal(vmList.parse('gateway, 5,worker2', at('--vm')), ['gateway', '5', 'worker2']);
  assert.equal(vmList.parse('worker0,', at('--vm')), ['worker0']);
  for (const text of ['', ',', ' , ']) {
    assert.is(refused(vmList, '--vm', text), `--vm ${JSON.stringify(text)} names no VM`);
  }
});

test('what a console waits for: ssh, or a regular expression compiled once; a broken one is refused', () => {
  assert.is(consoleWait.parse('ssh', at('--until')), 'ssh');
  const login = consoleWait.parse('login:', at('--until'));
  assert.ok(login instanceof RegExp && login.test('ubuntu0 login: '));
  const sshUp = consoleWait.parse('ssh.*up', at('--until'));
  assert.ok(sshUp instanceof RegExp && sshUp.test('ssh is up'), 'only the word ssh alone is the readiness');
  for (const text of ['(', '[a', '*']) {
    assert.is(refused(consoleWait, '--until', text), `--until ${text} is not a regular expression`);
  }
  assert.equal(consoleWait.complete, ['ssh']);
});

test('a word is taken as written (a step: the task graph knows which exist)', () => {
  const step = word('N|NAME', 'tasks');
  assert.is(step.parse('cloud-init', at('--step')), 'cloud-init');
  assert.equal([step.word, step.complete], ['N|NAME', 'tasks']);
});

test.run();
