// The guide's cloud-init "bash templates", rendered without a shell: its substitutions work, and
// anything a shell would run is refused where it stands.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, isKubenetError } from '../../lib/errors.js';
import { renderTemplate } from '../../lib/cloud-init/render-template.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('render-template');
let dir: ReturnType<typeof tempDir>;
test.before(() => {
  dir = tempDir('kubenet-template-');
  mkdirSync(join(dir.path, 'home', '.ssh'), { recursive: true });
  writeFileSync(join(dir.path, 'home', '.ssh', 'id_rsa.pub'), 'ssh-rsa AAAA me@host\n\n');
});
test.after(() => dir.remove());

const render = (text: string) =>
  renderTemplate({
    text,
    values: { vmname: 'worker1', vmid: 5 },
    name: 'user-data.worker',
    cwd: dir.path,
    home: join(dir.path, 'home'),
  });
const failure = (text: string) => {
  try {
    render(text);
  } catch (error) {
    assert.ok(isKubenetError(error));
    assert.is(error.code, ExitCode.usage);
    return error.message;
  }
  throw new Error('expected an error');
};

test("$name and ${name}, and the guide's $(<~/.ssh/id_rsa.pub) without its trailing newlines", () => {
  assert.is(
    render('hostname: $vmname\nid: ${vmid}x\nkeys:\n  - $(<~/.ssh/id_rsa.pub)\n'),
    'hostname: worker1\nid: 5x\nkeys:\n  - ssh-rsa AAAA me@host\n',
  );
});

test("a here-document's escapes, and a lone $, stay text", () => {
  assert.is(render('cost: \\$5 \\`x\\` a\\\\b $ 1 $-'), 'cost: $5 `x` a\\b $ 1 $-');
});

test('a command substitution or a backquote is refused with its line and column, never run', () => {
  assert.match(
    failure('#cloud-config\nrun: $(touch /tmp/pwned)\n'),
    'user-data.worker, line 2, column 6: a command substitution',
  );
  assert.match(failure('a: `id`'), 'line 1, column 4: a backquote');
});

test('an unknown name is an error listing the known ones, not an empty string', () => {
  const message = failure('x: $vmnme');
  assert.match(message, '$vmnme is not a value kubenet knows');
  assert.match(message, 'line 1, column 4');
  assert.match(failure('x: ${vm:-a}'), 'not a plain name');
});

test('a file that cannot be read is named', () => {
  assert.match(failure('k: $(<~/.ssh/id_ed25519.pub)'), 'cannot read ~/.ssh/id_ed25519.pub');
});

test.run();
