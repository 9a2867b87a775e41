// setuplocalkubeconfig.sh, kubenet's way: the guide's kubectl commands on a copy of ~/.kube/config,
// only with consent, replacing it only if nothing but the guide's entries changed, the old file
// kept beside it; a rerun runs no kubectl. With the real kubectl, on a config that already holds
// another cluster.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onlyEntriesChanged } from '../../lib/auth/local-kubeconfig.js';
import {
  authSandbox,
  authTools,
  authToolsWhy,
  haveAuthTools,
  kubeconfigsMade,
  type AuthSandbox,
} from '../helpers/auth-sandbox.js';
import { skipUnless } from '../helpers/skip.js';

const test = suite('local kubeconfig');
const entries = { cluster: 'kubenet', user: 'admin', context: 'kubenet' };
const other = `apiVersion: v1
kind: Config
clusters:
- cluster:
    server: https://prod.example:6443
    insecure-skip-tls-verify: true
  name: prod
contexts:
- context:
    cluster: prod
    user: me
  name: prod
current-context: prod
preferences: {}
users:
- name: me
  user:
    token: abc
`;

test('only the named cluster, user and context (and the current context) may change', () => {
  const added = `${other}`
    .replace('clusters:\n', 'clusters:\n- cluster:\n    server: https://kubernetes:6443\n  name: kubenet\n')
    .replace('current-context: prod', 'current-context: kubenet');
  onlyEntriesChanged(other, added, entries, '~/.kube/config');
  onlyEntriesChanged('', 'apiVersion: v1\nkind: Config\npreferences: {}\nclusters: []\n', entries, '~/.kube/config');
  assert.throws(
    () => onlyEntriesChanged(other, other.replace('token: abc', 'token: xyz'), entries, '~/.kube/config'),
    /would change other users/,
  );
  assert.throws(
    () => onlyEntriesChanged(other, other.replace('prod.example', 'evil.example'), entries, '~/.kube/config'),
    /would change other clusters/,
  );
  assert.throws(
    () => onlyEntriesChanged(`${other}extensions: [x]\n`, other, entries, '~/.kube/config'),
    /would change other settings/,
  );
  // kubectl writes the keys in its own order: that is no change.
  onlyEntriesChanged(
    other,
    other.replace(
      '    server: https://prod.example:6443\n    insecure-skip-tls-verify: true\n',
      '    insecure-skip-tls-verify: true\n    server: https://prod.example:6443\n',
    ),
    entries,
    '~/.kube/config',
  );
});

let s: AuthSandbox | undefined;
test.before(async () => {
  if (!haveAuthTools) return;
  s = authSandbox();
  const r = await s.run(['run', '42-kubeconfigs']);
  if (r.code !== 0) throw new Error(r.stdout + r.stderr);
  s.take();
});
test.after(() => s?.remove());
const config = () => join(s!.home, '.kube', 'config');
const view = () =>
  JSON.parse(
    execFileSync(authTools.kubectl!, ['config', 'view', '--raw', '-o', 'json', '--kubeconfig', config()], {
      encoding: 'utf8',
    }),
  );

test(
  'without --yes and without a terminal, ~/.kube/config ' + 'is left alone and kubenet says how to use the cluster',
  async () => {
    if (skipUnless(haveAuthTools, authToolsWhy)) return;
    mkdirSync(join(s!.home, '.kube'), { recursive: true });
    writeFileSync(config(), other, { mode: 0o600 });
    const r = await s!.run(['run', 'local-kubeconfig']);
    assert.is(r.code, 0, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      `${config()} is left as it is; use the cluster with export KUBECONFIG=${s!.auth}/admin.kubeconfig`,
    );
    assert.is(readFileSync(config(), 'utf8'), other);
    assert.equal(kubeconfigsMade(s!.take()), []);
  },
);

test("with --yes the guide's cluster, user and context are added, the rest kept, the old file beside it", async () => {
  if (skipUnless(haveAuthTools, authToolsWhy)) return;
  const r = await s!.run(['run', 'local-kubeconfig', '--yes']);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.equal(kubeconfigsMade(s!.take()), ['(default)'], "the guide's commands, without --kubeconfig");
  const v = view();
  assert.equal(v.clusters.map((c: { name: string }) => c.name).sort(), ['kubenet', 'prod']);
  assert.equal(v.users.map((u: { name: string }) => u.name).sort(), ['admin', 'me']);
  assert.is(v['current-context'], 'kubenet');
  assert.is(
    v.clusters.find((c: { name: string }) => c.name === 'kubenet').cluster['certificate-authority-data'],
    readFileSync(join(s!.auth, 'ca.pem')).toString('base64'),
  );
  assert.is(v.users.find((u: { name: string }) => u.name === 'me').user.token, 'abc');
  const backup = readdirSync(join(s!.home, '.kube')).find((f) => f.startsWith('config.before-kubenet-'));
  assert.ok(backup, 'a backup');
  assert.is(readFileSync(join(s!.home, '.kube', backup!), 'utf8'), other);
  const again = await s!.run(['run', 'local-kubeconfig', '--yes']);
  assert.is(again.code, 0, again.stdout + again.stderr);
  assert.match(again.stdout, 'already has the cluster kubenet, the user admin and the context kubenet');
  assert.equal(s!.take(), [], 'no kubectl');
});

test('a link at ~/.kube/config is not written through', async () => {
  if (skipUnless(haveAuthTools, authToolsWhy)) return;
  const mine = join(s!.dir, 'dotfiles-kubeconfig');
  writeFileSync(mine, other);
  const kube = join(s!.home, '.kube');
  execFileSync('rm', ['-rf', kube]);
  mkdirSync(kube);
  symlinkSync(mine, config());
  const r = await s!.run(['run', 'local-kubeconfig', '--yes']);
  assert.is(r.code, 10, r.stdout + r.stderr);
  assert.match(r.stderr, `${config()} is a symbolic link: kubenet does not write through it`);
  assert.is(readFileSync(mine, 'utf8'), other);
  assert.not.ok(existsSync(join(kube, 'config.before-kubenet')));
});

test.run();
