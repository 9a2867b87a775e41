import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BodyDecoder, contentLength, framingOf, type Framing } from '../../../lib/download/http/body-decoder.js';

const test = suite('HTTP body framing');
const decode = (framing: Framing, pieces: string[]) => {
  const out: string[] = [];
  const d = new BodyDecoder(framing, (chunk) => out.push(chunk.toString()));
  for (const piece of pieces) d.push(Buffer.from(piece));
  return { body: out.join(''), done: d.done };
};

test('a chunked body split at awkward places decodes whole', () => {
  assert.equal(
    decode({ kind: 'chunked' }, ['4\r', '\nWi', 'ki\r\n5;ext=1\r\npedia\r\n0\r\n', 'X-Trailer: 1\r\n\r\n']),
    { body: 'Wikipedia', done: true },
  );
});
test('a length body stops at its length', () => {
  assert.equal(decode({ kind: 'length', length: 5 }, ['hel', 'lo world']), { body: 'hello', done: true });
});
test('a chunked body with a bad size line is an error', () => {
  assert.throws(() => decode({ kind: 'chunked' }, ['zz\r\n']), /bad chunk size "zz"/);
});
for (const [status, headers, kind] of [
  [200, { 'content-length': '10' }, 'length'],
  [206, { 'transfer-encoding': 'chunked' }, 'chunked'],
  [200, {}, 'close'],
  [304, { 'content-length': '10' }, 'none'],
  [200, { 'transfer-encoding': 'chunked', 'content-length': 'abc' }, 'chunked'],
] as const) {
  test(`status ${status} with ${JSON.stringify(headers)} is framed as ${kind}`, () => {
    assert.is(framingOf(status, headers, 'GET').kind, kind);
  });
}

for (const [value, length] of [
  ['1024', 1024],
  [' 7 ', 7],
  ['5, 5', 5],
  ['5,5,5', 5],
  ['0', 0],
] as const) {
  test(`Content-Length "${value}" is ${length}`, () => assert.is(contentLength(value), length));
}
for (const value of ['abc', '5, 6', '-1', '', '1e3', '0x10', '5,', '99999999999999999999']) {
  test(`Content-Length "${value}" is malformed`, () => {
    assert.throws(() => contentLength(value), /malformed Content-Length/);
    assert.throws(() => framingOf(200, { 'content-length': value }, 'GET'), /malformed Content-Length/);
  });
}

test.run();
