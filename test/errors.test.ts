import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ExitCode, KubenetError, formatError, fromSystemError } from '../lib/errors.js';

const test = suite('formatError');

test('prints the message, the details and what to do next', () => {
  const text = formatError(
    new KubenetError('ubuntu0 did not boot', {
      code: ExitCode.vm,
      details: 'last serial lines',
      hint: 'run again with --verbose',
    }),
  );
  assert.is(text, 'kubenet: ubuntu0 did not boot\n\nlast serial lines\n\n  → run again with --verbose');
});

test('a full disk becomes advice, not a stack trace', () => {
  const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), {
    code: 'ENOSPC',
    path: '/images/.x.part',
  });
  const text = formatError(enospc);
  assert.match(text, 'no space left on the device: /images/.x.part');
  assert.match(text, 'resumes');
  assert.not.match(text, /\n\s+at /);
  assert.is(fromSystemError(enospc)?.code, ExitCode.host);
});

const fileSystemErrors: [string, string][] = [
  ['ENOTDIR', 'a file stands where a folder should be: /tmp/images/.kubenet/state/00-qemu.json'],
  ['EISDIR', 'a folder stands where a file should be: /tmp/images/.kubenet/state/00-qemu.json'],
  [
    'ELOOP',
    'a symbolic link stands where kubenet keeps its own file (or ' +
      'the links loop): /tmp/images/.kubenet/state/00-qemu.json',
  ],
];
for (const [code, message] of fileSystemErrors) {
  test(`${code} becomes words and a hint, exit code 10`, () => {
    const error = Object.assign(new Error(`${code}: lstat`), { code, path: '/tmp/images/.kubenet/state/00-qemu.json' });
    const text = formatError(error);
    assert.match(text, `kubenet: ${message}`);
    assert.match(text, '  → ');
    assert.not.match(text, /\n\s+at /);
    assert.is(fromSystemError(error)?.code, ExitCode.host);
  });
}

test('an unknown error keeps its stack for the bug report', () => {
  assert.match(formatError(new TypeError('boom')), 'unexpected error: TypeError: boom');
  assert.is(fromSystemError(new TypeError('boom')), undefined);
});

test.run();
