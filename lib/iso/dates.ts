// The two date formats of ECMA-119: 7 binary bytes in directory records (9.1.5), 17 digits in
// volume descriptors (8.4.26.1). kubenet always writes UTC (offset 0).

export function recordDate(date: Date): Buffer {
  return Buffer.from([
    date.getUTCFullYear() - 1900,
    date.getUTCMonth() + 1,
    date.getUTCDate(),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
    0, // offset from GMT in 15-minute steps
  ]);
}

const two = (n: number) => String(n).padStart(2, '0');

export function descriptorDate(date: Date | undefined): Buffer {
  const out = Buffer.alloc(17);
  // "not specified" is sixteen '0' digits and a zero offset
  const digits =
    date === undefined
      ? '0'.repeat(16)
      : String(date.getUTCFullYear()).padStart(4, '0') +
        two(date.getUTCMonth() + 1) +
        two(date.getUTCDate()) +
        two(date.getUTCHours()) +
        two(date.getUTCMinutes()) +
        two(date.getUTCSeconds()) +
        two(Math.floor(date.getUTCMilliseconds() / 10));
  out.write(digits, 0, 'latin1');
  return out;
}
