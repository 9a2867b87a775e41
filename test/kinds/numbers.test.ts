// Numbers, one rule for every kind of them: whole, in decimal digits, in range — and one way each
// kind says a value is wrong, naming where it was given and what it takes.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ExitCode, isKubenetError } from '../../lib/errors.js';
import type { Kind } from '../../lib/kinds/kind.js';
import { count, days, seconds, tcpPort } from '../../lib/kinds/numbers.js';

const test = suite('kinds: numbers');
const at = (name: string) => ({ name, base: '/nowhere' });

// What no number of any kind is: the forms Number() reads that the rule refuses.
const notDigits = ['', ' 30', '30 ', '+30', '-1', '1e3', '0x1e', '1.5', '30.0', '3_0', '22a', 'soon', 'Infinity', '٣٠'];

const message = (kind: Kind<number>, name: string, text: string): string => {
  try {
    kind.parse(text, at(name));
  } catch (error) {
    assert.ok(isKubenetError(error), String(error));
    assert.is(error.code, ExitCode.usage);
    assert.match(error.hint ?? '', 'a whole number in decimal digits, e.g.');
    return error.message;
  }
  throw new Error(`${name} ${text} was taken`);
};

interface Case {
  kind: string;
  of: Kind<number>;
  name: string;
  good: [string, number][];
  outside: string[];
  says: (text: string) => string;
  outsideSays?: (text: string) => string;
}
const cases: Case[] = [
  {
    kind: 'seconds from 1',
    of: seconds(1, '600'),
    name: '--timeout',
    good: [
      ['1', 1],
      ['600', 600],
      ['0600', 600],
      ['604800', 604_800],
    ],
    outside: ['0', '604801', '99999999999999999999'],
    says: (t) => `--timeout ${t} is not a number of seconds (a whole number from 1 to 604800)`,
  },
  {
    kind: 'seconds from 0',
    of: seconds(0, '300'),
    name: '--wait',
    good: [
      ['0', 0],
      ['300', 300],
    ],
    outside: ['604801'],
    says: (t) => `--wait ${t} is not a number of seconds (a whole number from 0 to 604800)`,
  },
  {
    kind: 'days',
    of: days(1, 36_500, '30'),
    name: '--older-than',
    good: [
      ['1', 1],
      ['30', 30],
      ['36500', 36_500],
    ],
    outside: ['0', '36501'],
    says: (t) => `--older-than ${t} is not a number of days (a whole number from 1 to 36500)`,
  },
  {
    kind: 'a count from 1',
    of: count(1, 1024, '2'),
    name: 'KUBENET_SMP',
    good: [
      ['1', 1],
      ['2', 2],
      ['1024', 1024],
    ],
    outside: ['0', '1025', '100000000000'],
    says: (t) => `KUBENET_SMP ${t} is not a positive whole number`,
    outsideSays: (t) => `KUBENET_SMP ${t} is not a whole number from 1 to 1024`,
  },
  {
    kind: 'a count from 0',
    of: count(0, 99, 'workers: 3'),
    name: 'kubenet.yaml cluster: workers',
    good: [
      ['0', 0],
      ['99', 99],
    ],
    outside: ['100'],
    says: (t) => `kubenet.yaml cluster: workers ${t} is not a whole number`,
    outsideSays: (t) => `kubenet.yaml cluster: workers ${t} is not a whole number from 0 to 99`,
  },
  {
    kind: 'a TCP port',
    of: tcpPort,
    name: '--ssh-port',
    good: [
      ['1', 1],
      ['2222', 2222],
      ['65535', 65_535],
    ],
    outside: ['0', '65536', '70000'],
    says: (t) => `--ssh-port ${t} is not a TCP port (a whole number from 1 to 65535)`,
  },
];

for (const c of cases) {
  test(`${c.kind}: whole numbers in digits, in range, are taken as numbers`, () => {
    for (const [text, value] of c.good) assert.is(c.of.parse(text, at(c.name)), value, text);
  });
  test(`${c.kind}: anything else is refused, in one text naming ${c.name} and what it takes`, () => {
    for (const text of notDigits) assert.is(message(c.of, c.name, text), c.says(text));
    for (const text of c.outside) assert.is(message(c.of, c.name, text), (c.outsideSays ?? c.says)(text));
  });
}

test('every number kind says the rule once in help, the same words', () => {
  const notes = new Set(cases.map((c) => c.of.note));
  assert.equal([...notes], ['Numbers are whole and written in digits: 600, not 6e2, 0x258, 600.0 or +600.']);
  assert.equal(
    cases.map((c) => c.of.word),
    ['SECONDS', 'SECONDS', 'DAYS', 'N', 'N', 'PORT'],
  );
});

test.run();
