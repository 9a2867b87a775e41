// The settings that may be URLs: the live ISO (a file, or an https URL of one) and the mirror,
// checked by the downloads' own rules, a password never in a message.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ExitCode, isKubenetError } from '../../lib/errors.js';
import type { Kind } from '../../lib/kinds/kind.js';
import { fileOrHttps, mirror } from '../../lib/settings/url-kinds.js';

const test = suite('settings: URL kinds');
const cli = { name: '--x', base: '/work/here' };
const inFile = { name: 'x: in /etc/kubenet/kubenet.yaml,', base: '/etc/kubenet' };
const refused = (kind: Kind<unknown>, name: string, text: string): string => {
  try {
    kind.parse(text, { name, base: '/work/here' });
  } catch (error) {
    assert.ok(isKubenetError(error));
    assert.is(error.code, ExitCode.usage);
    return error.message;
  }
  throw new Error(`${name} ${text} was taken`);
};

test('a file or an https URL of one: plain http, a folder URL or no URL at all is refused', () => {
  assert.is(fileOrHttps.parse('iso/mine.iso', inFile), '/etc/kubenet/iso/mine.iso');
  assert.is(fileOrHttps.parse('https://mirror.test/isos/a.iso', cli), 'https://mirror.test/isos/a.iso');
  for (const url of ['http://mirror.test/a.iso', 'https://mirror.test/isos/']) {
    assert.is(refused(fileOrHttps, '--live-iso', url), `--live-iso ${url} is not an https URL of a file`);
  }
  const broken = refused(fileOrHttps, '--live-iso', 'https://me:secret@[bad/a.iso');
  assert.is(broken, '--live-iso https://***@[bad/a.iso is not a URL');
});

test('a mirror: a server or a folder, made its base once; its password never in a message', () => {
  assert.is(mirror.parse('http://mirror.test/base', cli), 'http://mirror.test/base/');
  assert.is(mirror.parse('./m', inFile), 'file:///etc/kubenet/m/');
  assert.is(mirror.parse('/srv/m', cli), 'file:///srv/m/');
  const message = refused(mirror, 'KUBENET_MIRROR', 'https://me:secret@mirror.test/?token=1');
  assert.match(message, 'KUBENET_MIRROR https://***@mirror.test/?token=1 has a ?query or #fragment');
  assert.is(refused(mirror, '--mirror', 'ftp://m.test/'), '--mirror ftp://m.test/ is not an http(s) URL or a folder');
});

test.run();
