// Credentials in a mirror or proxy URL are never printed or written: not in errors, `kubenet
// config` (or --json), --verbose, notices, records or logs — for URLs that are valid and for ones
// that are not (a password with an unencoded '/', a token used as the user name). Everything the
// CLI prints here, and every small file it leaves in images/ and the shared cache, is collected
// (test/helpers/cli.ts, KUBENET_TEST_TRANSCRIPT) and searched for the secrets — and so is ALL the
// output of the proxy and mirror suites, run again as child processes into the same transcript.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kubenetAsync, repoRoot } from '../helpers/cli.js';
import { publish, startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { hasTinyproxy } from '../helpers/tinyproxy.js';
import { testWhen } from '../helpers/skip.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('secrets in URLs are never printed or written');
const user = 'kn-user-Q7x';
const password = 'kn-pass-Z9y';
const token = 'ghp_kubenetT0KEN5w';
const slashed = 'kn/slash-W4v'; // a password with '/' left unencoded
// What must never appear, in any form a message could take it: the suites' own secrets too.
const secrets = [
  user,
  password,
  token,
  'kn/slash',
  'slash-W4v',
  Buffer.from(`${user}:${password}`).toString('base64'),
  's3cret',
  'wrong-pw',
  'learner:',
  'learner@',
];
const name = 'jammy-server-cloudimg-amd64.img';
let server: FaultServer;
let dir: ReturnType<typeof tempDir>;
let transcript: string;
let n = 0;

test.before(async () => {
  dir = tempDir('kubenet-secrets-');
  transcript = join(dir.path, 'transcript.txt');
  writeFileSync(transcript, '');
  process.env.KUBENET_TEST_TRANSCRIPT = transcript; // every run below is recorded (test/helpers/cli.ts)
  server = await startFaultServer();
  publish(server, 'https://cloud-images.ubuntu.com/jammy/current/', name, Buffer.alloc(64 * 1024, 5));
  server.always('mirror.lan:443', { status: 407 });
});
test.after(async () => {
  delete process.env.KUBENET_TEST_TRANSCRIPT;
  await server?.close();
  dir?.remove();
});

const withCredentials = (base: string, credentials: string) => base.replace('http://', `http://${credentials}@`);
// Each run with images/ and a shared cache of its own (recorded too).
const kubenet = (args: string[], env: NodeJS.ProcessEnv = {}) => {
  n += 1;
  return kubenetAsync([...args, '--images', join(dir.path, `images-${n}`)], {
    cwd: dir.path,
    timeoutMs: 90_000,
    env: { HOME: join(dir.path, 'home'), KUBENET_CACHE: join(dir.path, `cache-${n}`), ...env },
  });
};

function neverShown(output: string, what: string): void {
  for (const secret of secrets)
    assert.not.ok(
      output.includes(secret),
      `${what} shows ` +
        `${secret}:\n${output.slice(Math.max(0, output.indexOf(secret) - 600), output.indexOf(secret) + 200)}`,
    );
}

test('kubenet config and config --json show the mirror without its user name and password', async () => {
  const env = { KUBENET_MIRROR: withCredentials('http://mirror.lan/', `${user}:${password}`) };
  const plain = await kubenet(['config'], env);
  const json = await kubenet(['config', '--json'], env);
  assert.is(plain.code, 0, plain.stderr);
  assert.match(plain.stdout, /^mirror\s+http:\/\/\*\*\*@mirror\.lan\/\s+\(KUBENET_MIRROR\)$/m);
  assert.is(
    (JSON.parse(json.stdout) as { key: string; value: string }[]).find((r) => r.key === 'mirror')?.value,
    'http://***@mirror.lan/',
  );
  neverShown(plain.stdout + plain.stderr + json.stdout + json.stderr, 'config');
});

test("kubenet.yaml's mirror with credentials: shown without them", async () => {
  writeFileSync(
    join(dir.path, 'kubenet.yaml'),
    `mirror: ${withCredentials('http://mirror.lan/', `${user}:${password}`)}\n`,
  );
  try {
    const r = await kubenet(['config']);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, 'http://***@mirror.lan/');
    neverShown(r.stdout + r.stderr, 'config from kubenet.yaml');
  } finally {
    writeFileSync(join(dir.path, 'kubenet.yaml'), '');
  }
});

test(
  'a download through a mirror with credentials, --verbose: ' + 'output, records and the cache hold none of them',
  async () => {
    const r = await kubenet([
      'run',
      'cloud-img',
      '--verbose',
      '--mirror',
      withCredentials(server.url, `${user}:${password}`),
    ]);
    assert.is(r.code, 0, r.stderr + r.stdout);
    const failed = await kubenet([
      'run',
      'cloud-img',
      '--verbose',
      '--mirror',
      withCredentials(`${server.url}empty/`, `${user}:${password}`),
    ]); // 404: not retried
    assert.is(failed.code, 20, failed.stderr);
    assert.match(failed.stderr, `http://***@127.0.0.1:${new URL(server.url).port}/empty/`);
    neverShown(r.stdout + r.stderr + failed.stdout + failed.stderr, 'a run through the mirror');
  },
);

for (const [what, variable, value, shown] of [
  [
    "a proxy password with an unencoded '/' (not a valid URL)",
    'https_proxy',
    `http://${user}:${slashed}@proxy.lan:3128`,
    'https_proxy=http://***@proxy.lan:3128',
  ],
  [
    "a password with '/' that parses as another host",
    'https_proxy',
    `http://${user}:12/${password}@proxy.lan`,
    'https_proxy=http://***@proxy.lan',
  ],
  [
    "a token as the proxy's user name (the proxy refuses it: 407)",
    'HTTPS_PROXY',
    `http://${token}@PROXY`,
    'the proxy http://***@PROXY (HTTPS_PROXY) rejected',
  ],
  [
    'a SOCKS proxy with credentials',
    'all_proxy',
    `socks5://${user}:${password}@127.0.0.1:1080`,
    'all_proxy=socks5://***@127.0.0.1:1080',
  ],
  [
    "a mirror password with an unencoded '/'",
    'KUBENET_MIRROR',
    `http://${user}:${slashed}@mirror.lan/`,
    'KUBENET_MIRROR http://***@mirror.lan/',
  ],
] as const) {
  test(`${what}: the error names it without its credentials, also with --verbose`, async () => {
    const proxy = new URL(server.url).host; // the fault server answers CONNECT mirror.lan:443 with 407
    const r = await kubenet(['run', 'cloud-img', '--verbose'], {
      [variable]: value.replace('PROXY', proxy),
      ...(variable === 'KUBENET_MIRROR' ? {} : { KUBENET_MIRROR: 'https://mirror.lan/' }),
    });
    assert.is.not(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stderr, shown.replace('PROXY', proxy));
    neverShown(r.stdout + r.stderr, what);
  });
}

// The suites that use proxies and mirrors with credentials, run again with their output recorded.
const suites: [string, string][] = [
  ['cli', 'download-proxy\\.test\\.js$'],
  ['cli/commands', 'prefetch\\.test\\.js$'],
];
testWhen(
  test,
  hasTinyproxy,
  'tinyproxy is not installed (apt-get install tinyproxy)',
  'ALL output of the proxy and mirror suites, and what their runs left on disk, holds no secret',
  () => {
    const uvu = fileURLToPath(new URL('../../../node_modules/uvu/bin.js', import.meta.url));
    const before = readFileSync(transcript, 'utf8').length;
    let suitesOutput = '';
    for (const [folder, pattern] of suites) {
      const r = spawnSync(process.execPath, [uvu, join('dist/test', folder), pattern], {
        cwd: repoRoot,
        encoding: 'utf8',
        timeout: 300_000,
        env: { ...process.env, KUBENET_TEST_TRANSCRIPT: transcript },
      });
      assert.is(r.status, 0, `${folder}/${pattern}:\n${r.stdout}${r.stderr}`);
      suitesOutput += r.stdout + r.stderr;
    }
    const recorded = readFileSync(transcript, 'utf8').slice(before);
    assert.ok((recorded.match(/^\$ kubenet /gm) ?? []).length >= 10, "the suites' runs were recorded");
    assert.match(recorded, '***@', 'they printed URLs with credentials, redacted');
    neverShown(suitesOutput + recorded, 'the proxy and mirror suites');
  },
);

test('everything recorded in this file (output, records, logs) holds no secret', () => {
  const all = readFileSync(transcript, 'utf8');
  assert.ok(all.includes('--- ') && all.includes('.kubenet'), 'records were collected');
  neverShown(all, 'the transcript');
});

test.run();
