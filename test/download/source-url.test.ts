import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  fileNameOf,
  isFolderMirror,
  mirrorBase,
  shownUrl,
  sumsUrlOf,
  upstreamUrl,
  viaMirror,
} from '../../lib/download/source-url.js';
import { ExitCode, KubenetError } from '../../lib/errors.js';

const test = suite('source URLs');
const cloud = 'https://cloud-images.ubuntu.com/jammy/current/jammy-server-cloudimg-arm64.img';

test('the file name is the upstream basename and SHA256SUMS sits beside it', () => {
  assert.is(fileNameOf(cloud), 'jammy-server-cloudimg-arm64.img');
  assert.is(sumsUrlOf(cloud).href, 'https://cloud-images.ubuntu.com/jammy/current/SHA256SUMS');
});

for (const [mirror, expected] of [
  [undefined, cloud],
  [
    'http://cache.lan:8080',
    'http://cache.lan:8080/cloud-images.ubuntu.com/jammy/current/jammy-server-cloudimg-arm64.img',
  ],
  [
    'https://m.example/ubuntu/',
    'https://m.example/ubuntu/cloud-images.ubuntu.com/jammy/current/jammy-server-cloudimg-arm64.img',
  ],
  [
    'https://m.example/ubuntu',
    'https://m.example/ubuntu/cloud-images.ubuntu.com/jammy/current/jammy-server-cloudimg-arm64.img',
  ],
  [
    'http://me:pw@m.example/',
    'http://me:pw@m.example/cloud-images.ubuntu.com/jammy/current/jammy-server-cloudimg-arm64.img',
  ],
] as const) {
  test(`mirror ${mirror ?? '(none)'} maps https://HOST/PATH to BASE/HOST/PATH`, () => {
    assert.is(viaMirror(new URL(cloud), mirror).href, expected);
  });
}

for (const bad of ['http://cloud-images.ubuntu.com/x.img', 'ftp://h/x.img', 'https://h/', 'not a url']) {
  test(`an upstream URL like ${bad} is refused`, () => {
    assert.throws(
      () => upstreamUrl(bad),
      (e: unknown) => e instanceof KubenetError,
    );
  });
}

for (const [mirror, expected] of [
  ['file:///srv/mirror', 'file:///srv/mirror/cloud-images.ubuntu.com/jammy/current/jammy-server-cloudimg-arm64.img'],
  ['file:///srv/mirror/', 'file:///srv/mirror/cloud-images.ubuntu.com/jammy/current/jammy-server-cloudimg-arm64.img'],
  ['/srv/mirror', 'file:///srv/mirror/cloud-images.ubuntu.com/jammy/current/jammy-server-cloudimg-arm64.img'],
] as const) {
  test(`a folder mirror ${mirror} maps https://HOST/PATH to DIR/HOST/PATH`, () => {
    const url = viaMirror(new URL(cloud), mirror);
    assert.is(url.href, expected);
    assert.ok(isFolderMirror(url));
    assert.is(
      shownUrl(url),
      '/srv/mirror/cloud-images.ubuntu.com/jammy/current/jammy-server-cloudimg-arm64.img',
      'shown as a path',
    );
  });
}

test('a relative folder mirror is made absolute against the working folder', () => {
  assert.is(mirrorBase('./mirror', '--mirror', '/home/learner').href, 'file:///home/learner/mirror/');
  assert.is(mirrorBase('../mirror', '--mirror', '/home/learner').href, 'file:///home/mirror/');
});

for (const bad of ['ftp://h/srv/', 'file://otherhost/srv/', 'mirror.lan/ubuntu']) {
  test(`a mirror that is neither http(s) nor a local folder (${bad}) is a usage error`, () => {
    assert.throws(
      () => mirrorBase(bad),
      (e: unknown) => e instanceof KubenetError && e.code === ExitCode.usage,
    );
  });
}

for (const mirror of ['https://m.example/ubuntu?token=1', 'https://m.example/ubuntu/#top', 'https://m.example/?']) {
  test(`a mirror with a query or fragment (${mirror}) is refused as a usage error, not silently cut`, () => {
    assert.throws(
      () => viaMirror(new URL(cloud), mirror),
      (e: unknown) =>
        e instanceof KubenetError && e.code === ExitCode.usage && e.message.includes('?query or #fragment'),
    );
  });
}

for (const [url, shown] of [
  ['http://learner:s3cret@m.example/x', 'http://***@m.example/x'],
  ['http://ghp_T0KEN@m.example/x', 'http://***@m.example/x'], // a token as the user name
  ['http://learner:pa/ss@proxy:3128', 'http://***@proxy:3128'], // '/' in the password: not a valid URL
  ['http://learner:12/ss@proxy', 'http://***@proxy'], // … or a valid one, to the wrong host
  ['http://learner:p@ss@proxy:3128/', 'http://***@proxy:3128/'], // '@' in the password
  ['http://learner:p%2Fss@m.example/x', 'http://***@m.example/x'], // %-encoded, as it should be
  ['learner:s3cret@proxy:3128', '***@proxy:3128'], // no scheme, as proxy variables may be
  ['https://m.example/x', 'https://m.example/x'],
  ['not a url://a:s3cret@h', 'not a url://***@h'],
] as const) {
  test(`shownUrl(${url}) hides every credential: ${shown}`, () => {
    assert.is(shownUrl(url), shown);
  });
}

test('a bad mirror is named without its password', () => {
  assert.throws(
    () => viaMirror(new URL(cloud), 'ftp://me:s3cret@h/'),
    (e: unknown) => e instanceof KubenetError && !e.message.includes('s3cret') && e.message.includes('***@'),
  );
});

test.run();
