// Numbers, one rule for all of them — seconds, days, CPUs, a port: whole, written in decimal
// digits (600), nothing else. Not 6e2, 0x258, 600.0, +600 or " 600": Number() reads those, and
// then --timeout 1e3 was taken while --wait 1e3 was refused. Each number has a range, so a typo
// is refused up front rather than a timer that fires at once (setTimeout takes up to ~24 days).
import { type At, type Kind, usage } from './kind.js';

export const numberNote = 'Numbers are whole and written in digits: 600, not 6e2, 0x258, 600.0 or +600.';
const maxSeconds = 7 * 86_400; // a week

interface Range {
  min: number;
  max: number;
  example: string; // the hint's e.g.
}
// What the message says the value is not: when it is no whole number, and when it is one out of range.
interface Says {
  notA: string;
  outside: string;
}

function wholeNumber(text: string, at: At, range: Range, says: Says): number {
  const hint = `a whole number in decimal digits, e.g. ${range.example}`;
  if (!/^\d+$/.test(text)) throw usage(`${at.name} ${text} is not ${says.notA}`, hint);
  const n = Number(text);
  if (n < range.min || n > range.max) throw usage(`${at.name} ${text} is not ${says.outside}`, hint);
  return n;
}

const numberKind = (word: string, range: Range, says: Says): Kind<number> => ({
  word,
  note: numberNote,
  parse: (text, at) => wholeNumber(text, at, range, says),
});

// A number of seconds a command waits; `min` 0 where 0 means "not at all".
export function seconds(min: 0 | 1, example: string): Kind<number> {
  const says = `a number of seconds (a whole number from ${min} to ${maxSeconds})`;
  return numberKind('SECONDS', { min, max: maxSeconds, example }, { notA: says, outside: says });
}

export function days(min: 0 | 1, max: number, example: string): Kind<number> {
  const says = `a number of days (a whole number from ${min} to ${max})`;
  return numberKind('DAYS', { min, max, example }, { notA: says, outside: says });
}

// A count (vCPUs, VMs): "not a positive whole number", or "not a whole number from 1 to 1024".
export function count(min: number, max: number, example: string): Kind<number> {
  const says = { notA: `a ${min > 0 ? 'positive ' : ''}whole number`, outside: `a whole number from ${min} to ${max}` };
  return numberKind('N', { min, max, example }, says);
}

const port = 'a TCP port (a whole number from 1 to 65535)';
export const tcpPort = numberKind('PORT', { min: 1, max: 65_535, example: '2222' }, { notA: port, outside: port });
