import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { descriptorDate, recordDate } from '../../lib/iso/dates.js';

const dates = suite('ISO 9660 dates');

const cases: Array<[string, number[], string]> = [
  ['2000-01-01T00:00:00.000Z', [100, 1, 1, 0, 0, 0, 0], '2000010100000000'],
  ['2024-02-29T23:59:58.990Z', [124, 2, 29, 23, 59, 58, 0], '2024022923595899'],
  ['1900-12-31T01:02:03.000Z', [0, 12, 31, 1, 2, 3, 0], '1900123101020300'],
];
for (const [iso, record, digits] of cases) {
  dates(`${iso} is ${record.join(',')} in a record and ${digits} in a descriptor`, () => {
    const date = new Date(iso);
    assert.equal([...recordDate(date)], record);
    const descriptor = descriptorDate(date);
    assert.is(descriptor.toString('latin1', 0, 16), digits);
    assert.is(descriptor[16], 0, 'UTC');
  });
}

dates('an unspecified descriptor date is sixteen zero digits and a zero offset', () => {
  const descriptor = descriptorDate(undefined);
  assert.is(descriptor.toString('latin1', 0, 16), '0'.repeat(16));
  assert.is(descriptor[16], 0);
});

dates.run();
