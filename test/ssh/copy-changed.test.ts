// The one ssh that decides what to copy: its shell line quotes every name, and its answer (stat's
// and sha256sum's lines) reads back per file; a file the VM lacks has no line.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseLook, remoteLook } from '../../lib/ssh/copy-changed.js';

const test = suite('copyChanged: the look over ssh');

test('the shell line: chmod first when asked, then stat and sha256sum of each name, quoted, errors dropped', () => {
  assert.is(
    remoteLook(['ca.pem', "it's"]),
    "stat -c '%a %U %n' -- ca.pem 'it'\\''s' 2>/dev/null; sha256sum -- ca.pem 'it'\\''s' 2>/dev/null; true",
  );
  assert.match(remoteLook(['a'], ['chmod 600 -- a']), /^chmod 600 -- a; stat/);
});

test('the answer, per file: mode, owner, digest; a missing file is absent', () => {
  const sum = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
  const files = parseLook(`600 ubuntu ca-key.pem\n644 root ca.pem\n${sum}  ca-key.pem\n${'a'.repeat(64)}  ca.pem\n`);
  assert.equal(Object.fromEntries(files), {
    'ca-key.pem': { mode: 0o600, owner: 'ubuntu', sha256: sum },
    'ca.pem': { mode: 0o644, owner: 'root', sha256: 'a'.repeat(64) },
  });
  assert.is(parseLook('').size, 0);
});

test.run();
