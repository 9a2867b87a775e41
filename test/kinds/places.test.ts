// The kinds that name a place: relative to where they were given (the working folder, or
// kubenet.yaml's folder).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cacheFolder, file, folder } from '../../lib/kinds/places.js';

const test = suite('kinds: places');
const cli = { name: '--x', base: '/work/here' };
const inFile = { name: 'x: in /etc/kubenet/kubenet.yaml,', base: '/etc/kubenet' };

test('a file or a folder: absolute as written, relative against where it was given', () => {
  for (const kind of [file, folder]) {
    assert.is(kind.parse('/abs/x', cli), '/abs/x');
    assert.is(kind.parse('rel/x', cli), '/work/here/rel/x');
    assert.is(kind.parse('../up', inFile), '/etc/up');
  }
  assert.equal([file.word, file.complete, folder.word, folder.complete], ['FILE', 'files', 'DIR', 'dirs']);
});

test('the shared cache: a folder, or off', () => {
  assert.is(cacheFolder.parse('off', inFile), 'off');
  assert.is(cacheFolder.parse('shared', inFile), '/etc/kubenet/shared');
});

test.run();
