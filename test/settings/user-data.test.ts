// --user-data is checked before any work, and what is wrong is said with where.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isKubenetError } from '../../lib/errors.js';
import { checkUserData } from '../../lib/settings/user-data.js';
import { kubenet } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('--user-data');
let dir: ReturnType<typeof tempDir>;
test.before.each(() => {
  dir = tempDir('kubenet-userdata-');
});
test.after.each(() => dir.remove());

const write = (text: string) => {
  const path = join(dir.path, 'user-data');
  writeFileSync(path, text);
  return path;
};
const message = async (path: string) => {
  try {
    await checkUserData(path, '--user-data x');
  } catch (error) {
    assert.ok(isKubenetError(error));
    return error.message;
  }
  return undefined;
};

const cases: [string, string | undefined, RegExp | undefined][] = [
  ['a #cloud-config mapping is fine', '#cloud-config\npassword: ubuntu\nchpasswd: { expire: false }\n', undefined],
  ['an empty #cloud-config is fine', '#cloud-config\n', undefined],
  ['a shell script is a format cloud-init runs', '#!/bin/sh\necho hi\n', undefined],
  [
    'no header: cloud-init would ignore it (and the line is not shown)',
    'password: ubuntu\n',
    /does not start with #cloud-config \(or another header cloud-init acts on\)$/,
  ],
  [
    'broken YAML, with the line and column',
    '#cloud-config\npassword: [ubuntu\n',
    /is not valid YAML at line 3, column 1/,
  ],
  ['YAML that is not a mapping', '#cloud-config\n- password\n', /not a mapping/],
];
for (const [name, text, expected] of cases) {
  test(name, async () => {
    const got = await message(write(text!));
    if (expected === undefined) assert.is(got, undefined);
    else assert.match(got ?? '', expected);
  });
}

test('a missing file is a usage error before anything is downloaded', () => {
  const r = kubenet([
    'run',
    '03-cloud-image',
    '--user-data',
    join(dir.path, 'nope.yaml'),
    '--images',
    join(dir.path, 'images'),
    '--mirror',
    'http://127.0.0.1:9/',
  ]);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, 'nope.yaml does not exist');
  assert.not.match(r.stderr, /\n\s+at /, 'no stack trace');
  assert.match(kubenet(['list', '--images', join(dir.path, 'images')]).stdout, '00-qemu', 'list is unaffected');
});

test.run();
