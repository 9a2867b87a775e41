import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LineSplitter, LineTail, TextWindow, plainText } from '../../lib/vm/serial-text.js';

const test = suite('serial-text');

const plain: Array<[string, string, string]> = [
  ['colours are dropped', '\x1b[1m\x1b[33m\x1b[40mShell> \x1b[0m', 'Shell> '],
  ['cursor moves are dropped', '\x1b[2J\x1b[01;01HBdsDxe: loading', 'BdsDxe: loading'],
  ['a carriage return is dropped', 'login: \r', 'login: '],
  ['private modes are dropped', '\x1b[=3h\x1b[?25lok', 'ok'],
  ['tabs stay', 'a\tb', 'a\tb'],
];
for (const [name, raw, expected] of plain) {
  test(`plainText: ${name}`, () => assert.is(plainText(raw), expected));
}

test('LineSplitter returns complete lines and keeps the unfinished one', () => {
  const splitter = new LineSplitter();
  assert.equal(splitter.push(Buffer.from('first\r\nsec')), ['first']);
  assert.is(splitter.partial, 'sec');
  assert.equal(splitter.push(Buffer.from('ond\r\nShell> ')), ['second']);
  assert.is(splitter.partial, 'Shell> ');
  assert.equal(splitter.end(), ['Shell> ']);
  assert.is(splitter.partial, '');
});

test('LineSplitter keeps a UTF-8 character split across chunks whole', () => {
  const bytes = Buffer.from('grüß\n');
  const splitter = new LineSplitter();
  const lines = [...splitter.push(bytes.subarray(0, 3)), ...splitter.push(bytes.subarray(3))];
  assert.equal(lines, ['grüß']);
});

test('LineTail keeps the last lines, skips blank ones, and can add the unfinished line', () => {
  const tail = new LineTail(3);
  for (const line of ['a', '', 'b', 'c', '   ', 'd']) tail.push(line);
  assert.equal(tail.snapshot(), ['b', 'c', 'd']);
  assert.equal(tail.snapshot('e'), ['c', 'd', 'e']);
});

test('TextWindow keeps only the newest characters', () => {
  const window = new TextWindow(5);
  window.push('abc');
  assert.is(window.push('defg'), 'cdefg');
});

test.run();
