// Sizes as QEMU's -m and qemu-img take them, in the range a machine or a qcow2 could take: the
// number in digits, as every number is; a plain number of memory is MiB, of a disk bytes.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ExitCode, isKubenetError } from '../../lib/errors.js';
import { size, sizeRanges } from '../../lib/kinds/sizes.js';

const test = suite('kinds: sizes');
const memory = size(sizeRanges.memory, '2G');
const disk = size(sizeRanges.disk, '128G');
const at = (name: string) => ({ name, base: '/nowhere' });
const refused = (kind: typeof memory, name: string, text: string): string => {
  try {
    kind.parse(text, at(name));
  } catch (error) {
    assert.ok(isKubenetError(error));
    assert.is(error.code, ExitCode.usage);
    return error.message;
  }
  throw new Error(`${name} ${text} was taken`);
};

test('sizes in range are taken as written', () => {
  for (const text of ['16', '512', '2G', '16T', '16384M']) assert.is(memory.parse(text, at('--memory')), text);
  for (const text of ['1048576', '1M', '20G', '1024T']) assert.is(disk.parse(text, at('--disk-size')), text);
});

const bad: [typeof memory, string, string, string][] = [
  [memory, '--memory', '2GB', '--memory 2GB is not a size like 2G'],
  [memory, '--memory', '2g', '--memory 2g is not a size like 2G'],
  [memory, '--memory', '1.5G', '--memory 1.5G is not a size like 2G'],
  [memory, '--memory', '1e3M', '--memory 1e3M is not a size like 2G'],
  [memory, '--memory', ' 2G', '--memory  2G is not a size like 2G'],
  [memory, '--memory', '8', '--memory 8 is out of range: from 16M to 16T'],
  [memory, 'KUBENET_MEMORY', '17T', 'KUBENET_MEMORY 17T is out of range: from 16M to 16T'],
  [disk, '--disk-size', '0G', '--disk-size 0G is out of range: from 1M to 1024T'],
  [disk, 'disk-size: in /x/k.yaml,', '1025T', 'disk-size: in /x/k.yaml, 1025T is out of range: from 1M to 1024T'],
  [disk, '--disk-size', 'big', '--disk-size big is not a size like 128G'],
];
test('anything else is refused: not a size, or out of range, naming where it was given', () => {
  for (const [kind, name, text, message] of bad) assert.is(refused(kind, name, text), message);
});

test.run();
