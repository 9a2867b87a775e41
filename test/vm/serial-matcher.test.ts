import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SerialMatcher } from '../../lib/vm/serial-matcher.js';

const test = suite('serial-matcher');

// [case, until, chunks written by the guest, expected match]
const cases: Array<[string, RegExp, string[], string | undefined]> = [
  ['a complete line matches', /login:/, ['Ubuntu 22.04\r\n', 'ubuntu0 login: x\r\n'], 'login:'],
  ['a prompt without a newline matches', /Shell>/, ['\x1b[06;01H\x1b[1mShell> \x1b[0m'], 'Shell>'],
  ['a marker split across chunks matches', /KUBENET-READY/, ['KUBENET-', 'READY\n'], 'KUBENET-READY'],
  [
    'a pattern across a line break matches',
    /hostname: ubuntu0\nready/,
    ['hostname: ubuntu0\r\n', 'ready\r\n'],
    'hostname: ubuntu0\nready',
  ],
  ['^ and $ hold per line', /^login:$/, ['x login:\n', 'login:\n'], 'login:'],
  ['a /g pattern is not fooled by lastIndex', /ok/g, ['ok\n'], 'ok'],
  ['colour codes inside a word do not hide it', /Shell>/, ['Sh\x1b[1mell>'], 'Shell>'],
  ['text that never comes does not match', /never/, ['boot\n', 'more\n'], undefined],
];

for (const [name, until, chunks, expected] of cases) {
  test(name, () => {
    const matcher = new SerialMatcher(until, undefined);
    const found = chunks.map((chunk) => matcher.push(Buffer.from(chunk))).find((m) => m !== undefined);
    assert.is(found, expected);
    assert.is(matcher.matched, expected);
  });
}

test('it reports the first match only once', () => {
  const matcher = new SerialMatcher(/ok/, undefined);
  assert.is(matcher.push(Buffer.from('ok\n')), 'ok');
  assert.is(matcher.push(Buffer.from('ok again\n')), undefined);
  assert.is(matcher.matched, 'ok');
});

test('the unfinished last line counts once the writer is gone', () => {
  const matcher = new SerialMatcher(/Power down\.$/, undefined);
  assert.is(matcher.push(Buffer.from('reboot: Power down.')), 'Power down.'); // matched as the unfinished line
  const late = new SerialMatcher(/^done$/, undefined);
  assert.is(late.push(Buffer.from('done')), 'done');
  assert.is(late.end(), undefined); // already reported
});

test('every line goes to onLine in order, as plain text, and into the tail', () => {
  const seen: string[] = [];
  const matcher = new SerialMatcher(undefined, (line) => seen.push(line));
  matcher.push(Buffer.from('\x1b[2Jone\r\ntwo\r\nthr'));
  matcher.push(Buffer.from('ee\r\nfour'));
  assert.equal(seen, ['one', 'two', 'three']);
  assert.equal(matcher.lastLines(), ['one', 'two', 'three', 'four']);
});

test.run();
