// Chapter 4's keys under attack and accident, with the real tools: a link planted where a key or
// kubeconfig goes is refused and what it points to untouched; kubenet killed (kill -9) while
// cfssl makes the CA keeps no half of it, and the next run makes it whole; a CA found half there
// is finished when it is kubenet's own interrupted work and refused when it is not; a missing
// cfssl or kubectl is named with its install hint; two runs at once make one CA; a file kubenet did
// not make is moved aside, never overwritten; no private key is ever printed.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { authSandbox, authToolsWhy, certsMade, haveAuthTools, type AuthSandbox } from '../helpers/auth-sandbox.js';
import { skipUnless } from '../helpers/skip.js';
import { which } from '../../lib/host/which.js';

const test = suite('chapter 4: faults');
let s: AuthSandbox | undefined;
test.before.each(() => {
  if (haveAuthTools) s = authSandbox();
});
test.after.each(() => s?.remove());

const pair = (sandbox: AuthSandbox, name: string) =>
  new X509Certificate(readFileSync(join(sandbox.auth, `${name}.pem`))).checkPrivateKey(
    createPrivateKey(readFileSync(join(sandbox.auth, `${name}-key.pem`))),
  );
const waitFor = async (file: string, ms: number) => {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(100))
    if (existsSync(file) && readFileSync(file, 'utf8').trim()) return Number(readFileSync(file, 'utf8'));
  throw new Error(`${file} did not appear within ${ms} ms`);
};

test(
  "a link planted at a key's or a kubeconfig's name is " + 'refused by name, and what it points to is left alone',
  async () => {
    if (skipUnless(haveAuthTools, authToolsWhy)) return;
    const victim = join(s!.dir, 'victim');
    writeFileSync(victim, 'precious\n');
    mkdirSync(s!.auth, { recursive: true });
    symlinkSync(victim, join(s!.auth, 'admin-key.pem'));
    const r = await s!.run(['run', '41-certificates']);
    assert.is(r.code, 10, r.stdout + r.stderr);
    assert.match(
      r.stderr,
      `${join(s!.auth, 'admin-key.pem')} is a symbolic link where kubenet keeps its own file (it points to ${victim})`,
    );
    assert.is(readFileSync(victim, 'utf8'), 'precious\n');
    assert.ok(lstatSync(join(s!.auth, 'admin-key.pem')).isSymbolicLink(), 'the link is not replaced either');
    rmSync(join(s!.auth, 'admin-key.pem'));
    symlinkSync(victim, join(s!.auth, 'admin.kubeconfig'));
    const k = await s!.run(['run', '42-kubeconfigs']);
    assert.is(k.code, 10, k.stdout + k.stderr);
    assert.match(k.stderr, 'admin.kubeconfig is a symbolic link');
    assert.is(readFileSync(victim, 'utf8'), 'precious\n');
    assert.ok(pair(s!, 'admin'), "admin's key was made once the link was gone");
  },
);

test('kill -9 while cfssl makes the CA: no part of it is kept, and the next run makes it whole', async () => {
  if (skipUnless(haveAuthTools, authToolsWhy)) return;
  const marker = join(s!.dir, 'paused');
  let child: import('node:child_process').ChildProcess | undefined;
  const run = s!.run(['run', 'root-ca'], { env: { KUBENET_TEST_PAUSE: marker }, onSpawn: (c) => (child = c) });
  const wrapper = await waitFor(marker, 60_000); // cfssl has answered; cfssljson is about to write
  child!.kill('SIGKILL');
  process.kill(wrapper, 'SIGKILL');
  const killed = await run;
  assert.is(killed.code, null, 'killed');
  assert.not.ok(
    existsSync(join(s!.auth, 'ca.pem')) || existsSync(join(s!.auth, 'ca-key.pem')),
    'nothing of the CA in auth/',
  );
  assert.ok(
    readdirSync(s!.auth).some((f) => /^\.ca\.pem\.\d+-[0-9a-f]{8}\.tmp$/.test(f)),
    'only the private folder it was made in',
  );
  const r = await s!.run(['run', 'root-ca']);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.ok(pair(s!, 'ca'));
});

test(
  "a CA half in place: kubenet's own interrupted work " + 'is finished; otherwise it is refused, never made anew',
  async () => {
    if (skipUnless(haveAuthTools, authToolsWhy)) return;
    const marker = join(s!.dir, 'paused');
    const run = s!.run(['run', 'root-ca'], { env: { KUBENET_TEST_PAUSE: marker, KUBENET_TEST_PAUSE_S: '2' } });
    await waitFor(marker, 60_000);
    mkdirSync(join(s!.auth, 'ca-key.pem')); // ca.pem goes in place, ca-key.pem cannot
    const stopped = await run;
    assert.is(stopped.code, 10, stopped.stdout + stopped.stderr);
    assert.ok(existsSync(join(s!.auth, 'ca.pem')));
    rmSync(join(s!.auth, 'ca-key.pem'), { recursive: true });
    const finished = await s!.run(['run', 'root-ca']);
    assert.is(finished.code, 0, finished.stdout + finished.stderr);
    assert.ok(pair(s!, 'ca'), 'a whole CA, made afresh');
    // The same state without kubenet's record of its own work: the CA that signed a cluster.
    const ca = readFileSync(join(s!.auth, 'ca.pem'));
    rmSync(join(s!.auth, 'ca-key.pem'));
    const refused = await s!.run(['run', 'root-ca']);
    assert.is(refused.code, 1, refused.stdout + refused.stderr);
    assert.match(
      refused.stderr,
      'auth/ca-key.pem is missing while auth/ca.pem, auth/ca.csr are there: not making the CA anew',
    );
    assert.match(refused.stderr, 'kubenet reset 40-certificate-authority');
    assert.equal(readFileSync(join(s!.auth, 'ca.pem')), ca);
    assert.equal(s!.take().filter((c) => c.includes('-initca')).length, 2, 'cfssl -initca ran for the two makes only');
  },
);

test('a missing cfssl or kubectl stops the run naming it, with the install hint, and makes nothing', async () => {
  if (skipUnless(haveAuthTools, authToolsWhy)) return;
  const bare = join(s!.dir, 'bare');
  mkdirSync(bare);
  symlinkSync(join(s!.bin, 'kubectl'), join(bare, 'kubectl'));
  const r = await s!.run(['run', '41-certificates'], { path: bare });
  assert.is(r.code, 10, r.stdout + r.stderr);
  assert.match(r.stderr, 'kubenet: cfssl not found on PATH');
  assert.match(r.stderr, '→ install it: sudo apt-get install golang-cfssl');
  assert.not.ok(existsSync(join(s!.auth, 'ca.pem')));
  const noKubectl = join(s!.dir, 'no-kubectl');
  mkdirSync(noKubectl);
  for (const tool of ['cfssl', 'cfssljson']) symlinkSync(join(s!.bin, tool), join(noKubectl, tool));
  // zx runs commands through bash
  for (const shell of ['bash', 'sh', 'sleep']) symlinkSync(which(shell)!, join(noKubectl, shell));
  const k = await s!.run(['run', '42-kubeconfigs'], { path: noKubectl });
  assert.is(k.code, 10, k.stdout + k.stderr);
  assert.match(k.stderr, 'kubectl not found on PATH');
  assert.match(k.stderr, 'kubernetes-client');
  assert.not.ok(existsSync(join(s!.auth, 'admin.kubeconfig')));
});

test('two runs at once make one CA and one set of certificates, and both succeed', async () => {
  if (skipUnless(haveAuthTools, authToolsWhy)) return;
  const [a, b] = await Promise.all([s!.run(['run', '41-certificates']), s!.run(['run', '41-certificates'])]);
  assert.is(a.code, 0, a.stdout + a.stderr);
  assert.is(b.code, 0, b.stdout + b.stderr);
  const made = certsMade(s!.take());
  assert.is(made.filter((n) => n === 'ca').length, 1);
  assert.is(made.length, 13, 'each certificate once');
  for (const n of ['ca', 'kubernetes', 'admin', 'worker2']) assert.ok(pair(s!, n), n);
});

test(
  "a file at a certificate's name that kubenet did not make is " +
    'moved aside, not overwritten; no private key is ever printed',
  async () => {
    if (skipUnless(haveAuthTools, authToolsWhy)) return;
    mkdirSync(s!.auth, { recursive: true });
    writeFileSync(join(s!.auth, 'admin.pem'), 'my own admin certificate\n');
    const r = await s!.run(['run', '41-certificates', '--verbose']);
    assert.is(r.code, 0, r.stdout + r.stderr);
    const aside = /kept what was at auth\/admin\.pem \(not made by kubenet\) in (auth\/replaced\/\S+\/)/.exec(
      r.stdout,
    )?.[1];
    assert.ok(aside, r.stdout);
    assert.is(readFileSync(join(s!.images, aside!, 'admin.pem'), 'utf8'), 'my own admin certificate\n');
    assert.ok(pair(s!, 'admin'));
    assert.not.match(r.stdout + r.stderr, 'PRIVATE KEY');
    assert.match(
      r.stdout,
      '$ cfssl gencert -ca=ca.pem -ca-key=ca-key.pem -config=ca-config.json ' +
        '-profile=kubernetes admin-csr.json | cfssljson -bare admin',
      "--verbose shows the guide's commands",
    );
  },
);

test.run();
