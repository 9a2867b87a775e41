// Chapter 4 run for real through the CLI — Debian's cfssl and cfssljson, a real kubectl — and its
// files checked by other tools: openssl (verify against the CA; subject, SANs and key usages),
// Node's X509Certificate, `kubectl config view --raw` per kubeconfig. Then what makes the tasks
// worth having: a second run runs no cfssl or kubectl; an edited request remakes that certificate
// and the kubeconfig embedding it, nothing else; a new topology remakes exactly what names it;
// reset makes a new CA and everything it signs.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  authSandbox,
  authTools,
  authToolsWhy,
  certsMade,
  haveAuthTools,
  kubeconfigsMade,
  type AuthSandbox,
} from '../helpers/auth-sandbox.js';
import { skipUnless } from '../helpers/skip.js';

const test = suite('chapter 4 with the real cfssl and kubectl');
let s: AuthSandbox | undefined;
test.before(() => {
  if (haveAuthTools) s = authSandbox();
});
test.after(() => s?.remove());

// genauth.sh's loop: control$i, worker$i
const nodes = ['control0', 'worker0', 'control1', 'worker1', 'control2', 'worker2'];
const certs = [
  'kubernetes',
  'admin',
  'kube-scheduler',
  'kube-controller-manager',
  'kube-proxy',
  'service-account',
  'control0',
  'worker0',
  'control1',
  'worker1',
  'control2',
  'worker2',
];
const kubeconfigs: [string, string][] = [
  ['admin', 'admin'],
  ['kube-scheduler', 'system:kube-scheduler'],
  ['kube-controller-manager', 'system:kube-controller-manager'],
  ['kube-proxy', 'system:kube-proxy'],
  ...nodes.map((n): [string, string] => [n, `system:node:${n}`]),
];
const openssl = (...args: string[]) => execFileSync(authTools.openssl!, args, { encoding: 'utf8' });
const mtimes = (sandbox: AuthSandbox, files: string[]) =>
  Object.fromEntries(files.map((f) => [f, statSync(join(sandbox.auth, f)).mtimeMs]));
const allFiles = [
  'ca.pem',
  'ca-key.pem',
  ...certs.flatMap((c) => [`${c}.pem`, `${c}-key.pem`]),
  ...kubeconfigs.map(([c]) => `${c}.kubeconfig`),
  'encryption-config.yaml',
];

test(
  'a first run makes the CA, twelve certificates, ten ' +
    "kubeconfigs and the encryption key, with the guide's commands",
  async () => {
    if (skipUnless(haveAuthTools, authToolsWhy)) return;
    const r = await s!.run(['run', '42-kubeconfigs']);
    assert.is(r.code, 0, r.stdout + r.stderr);
    const calls = s!.take();
    assert.equal(certsMade(calls), ['ca', ...certs], "the CA, then genauth.sh's order");
    assert.equal(
      calls.filter((c) => c[0] === 'cfssljson').map((c) => c.join(' ')),
      ['ca', ...certs].map((n) => `cfssljson -bare ${n}`),
    );
    assert.equal(
      kubeconfigsMade(calls),
      kubeconfigs.map(([c]) => `${c}.kubeconfig`),
    );
    assert.match(r.stdout, `export KUBECONFIG=${s!.images}/auth/admin.kubeconfig`);
    const e = await s!.run(['run', '43-encryption-key']);
    assert.is(e.code, 0, e.stdout + e.stderr);
  },
);

test(
  'openssl: every certificate verifies against the CA, ' + 'with the CN, O, SANs and key usages its request asks for',
  () => {
    if (skipUnless(haveAuthTools, authToolsWhy)) return;
    const ca = join(s!.auth, 'ca.pem');
    const caText = openssl('x509', '-in', ca, '-noout', '-text');
    assert.match(caText, /CA:TRUE/);
    assert.match(caText, /Certificate Sign, CRL Sign/);
    for (const name of certs) {
      const pem = join(s!.auth, `${name}.pem`);
      assert.is(openssl('verify', '-CAfile', ca, pem).trim(), `${pem}: OK`);
      const request = JSON.parse(s!.file(`${name}-csr.json`)) as {
        CN: string;
        names: { O: string }[];
        hosts?: string[];
      };
      const subject = openssl('x509', '-in', pem, '-noout', '-subject', '-nameopt', 'sep_multiline,sname');
      assert.match(subject, `CN=${request.CN}\n`, name);
      assert.match(subject, `O=${request.names[0]!.O}\n`, name);
      const text = openssl('x509', '-in', pem, '-noout', '-text');
      assert.match(
        text,
        /X509v3 Key Usage: critical\n\s+Digital Signature, Key Encipherment\n/,
        `${name}: signing, key encipherment`,
      );
      assert.match(
        text,
        /X509v3 Extended Key Usage: \n\s+TLS Web Server Authentication, TLS Web Client Authentication\n/,
        `${name}: server auth, client auth`,
      );
      const sans =
        /X509v3 Subject Alternative Name: \n\s+(.*)\n/
          .exec(text)?.[1]
          ?.split(', ')
          .map((w) => w.replace(/^(DNS|IP Address):/, '')) ?? [];
      assert.equal([...sans].sort(), [...(request.hosts ?? [])].sort(), `${name}: SANs`);
      // Node reads the same, and the key is the certificate's own.
      const x = new X509Certificate(readFileSync(pem));
      assert.ok(x.verify(new X509Certificate(readFileSync(ca)).publicKey));
      assert.ok(x.checkPrivateKey(createPrivateKey(readFileSync(join(s!.auth, `${name}-key.pem`)))), `${name}-key.pem`);
      assert.ok(new Date(x.validTo).getTime() - Date.now() > 9.9 * 365 * 86_400_000, 'ten years (87600h)');
    }
    // The nodes' requests name each node's own address (192.168.1.(10+id)).
    assert.match(
      openssl('x509', '-in', join(s!.auth, 'control0.pem'), '-noout', '-ext', 'subjectAltName'),
      'IP Address:192.168.1.11',
    );
  },
);

test('every private key, and every kubeconfig embedding one, is 0600; the rest 0644', () => {
  if (skipUnless(haveAuthTools, authToolsWhy)) return;
  for (const f of allFiles) {
    const secret = /-key\.pem$|\.kubeconfig$|encryption-config/.test(f);
    assert.is(statSync(join(s!.auth, f)).mode & 0o777, secret ? 0o600 : 0o644, f);
  }
  assert.is(Buffer.from(/secret: (\S+)/.exec(s!.file('encryption-config.yaml'))![1]!, 'base64').length, 32);
});

test(
  "kubectl config view --raw: each kubeconfig names the guide's " +
    'server, its user, and embeds the CA and its own certificate and key',
  () => {
    if (skipUnless(haveAuthTools, authToolsWhy)) return;
    const b64 = (f: string) => readFileSync(join(s!.auth, f)).toString('base64');
    for (const [cert, user] of kubeconfigs) {
      const view = JSON.parse(
        execFileSync(
          authTools.kubectl!,
          ['config', 'view', '--raw', '-o', 'json', '--kubeconfig', join(s!.auth, `${cert}.kubeconfig`)],
          { encoding: 'utf8' },
        ),
      );
      assert.equal(
        view.clusters.map((c: { name: string }) => c.name),
        ['kubenet'],
      );
      assert.is(view.clusters[0].cluster.server, 'https://kubernetes:6443');
      assert.is(view.clusters[0].cluster['certificate-authority-data'], b64('ca.pem'));
      assert.equal(
        view.users.map((u: { name: string }) => u.name),
        [user],
      );
      assert.is(view.users[0].user['client-certificate-data'], b64(`${cert}.pem`));
      assert.is(view.users[0].user['client-key-data'], b64(`${cert}-key.pem`));
      assert.equal(view.contexts, [{ name: 'default', context: { cluster: 'kubenet', user } }]);
      assert.is(view['current-context'], 'default');
    }
  },
);

test('a second run runs no cfssl or kubectl and changes no file', async () => {
  if (skipUnless(haveAuthTools, authToolsWhy)) return;
  const before = mtimes(s!, allFiles);
  const r = await s!.run(['run', '44-deploy-auth', '--dry-run']);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.not.match(r.stdout, /\$ (cfssl|kubectl)/, 'a dry run shows nothing left to run for them');
  const again = await s!.run(['run', '42-kubeconfigs']);
  assert.is(again.code, 0, again.stdout + again.stderr);
  assert.match(again.stdout, 'all 12 are up to date');
  assert.match(again.stdout, 'all 10 are up to date');
  assert.equal(s!.take(), []);
  assert.equal(mtimes(s!, allFiles), before);
});

test('an edited request remakes that certificate and the kubeconfig embedding it, and nothing else', async () => {
  if (skipUnless(haveAuthTools, authToolsWhy)) return;
  const before = mtimes(s!, allFiles);
  writeFileSync(join(s!.auth, 'admin-csr.json'), s!.file('admin-csr.json').replace('"L": "Krakow"', '"L": "Warsaw"'));
  const r = await s!.run(['run', '42-kubeconfigs']);
  assert.is(r.code, 0, r.stdout + r.stderr);
  const calls = s!.take();
  assert.equal(certsMade(calls), ['admin']);
  assert.equal(kubeconfigsMade(calls), ['admin.kubeconfig']);
  assert.match(openssl('x509', '-in', join(s!.auth, 'admin.pem'), '-noout', '-subject'), 'L = Warsaw');
  assert.match(s!.file('admin-csr.json'), 'Warsaw', "the learner's edit is kept");
  const after = mtimes(s!, allFiles);
  assert.equal(
    Object.keys(after)
      .filter((f) => after[f] !== before[f])
      .sort(),
    ['admin-key.pem', 'admin.kubeconfig', 'admin.pem'],
  );
});

test(
  'a new topology rewrites the requests that name it and ' + 'remakes exactly those certificates and their kubeconfigs',
  async () => {
    if (skipUnless(haveAuthTools, authToolsWhy)) return;
    s!.cluster('  network: 10.9.8\n');
    const r = await s!.run(['run', '42-kubeconfigs']);
    assert.is(r.code, 0, r.stdout + r.stderr);
    const calls = s!.take();
    assert.equal(certsMade(calls), ['kubernetes', 'control0', 'worker0', 'control1', 'worker1', 'control2', 'worker2']);
    assert.equal(
      kubeconfigsMade(calls),
      ['control0', 'worker0', 'control1', 'worker1', 'control2', 'worker2'].map((n) => `${n}.kubeconfig`),
    );
    assert.match(r.stdout, 'auth/kubernetes-csr.json rewritten');
    assert.match(
      openssl('x509', '-in', join(s!.auth, 'worker2.pem'), '-noout', '-ext', 'subjectAltName'),
      'IP Address:10.9.8.16',
    );
    // A request the learner edited is theirs: kept, and said so; `kubenet certs` shows the mismatch.
    writeFileSync(join(s!.auth, 'worker1-csr.json'), s!.file('worker1-csr.json').replace('"worker1.kubenet",\n', ''));
    s!.cluster('  network: 10.9.7\n  workers: 2\n');
    const edited = await s!.run(['run', '42-kubeconfigs']);
    assert.is(edited.code, 0, edited.stdout + edited.stderr);
    assert.equal(
      certsMade(s!.take()),
      ['kubernetes', 'control0', 'worker0', 'control1', 'worker1', 'control2'],
      "worker1 from the learner's request",
    );
    assert.match(edited.stdout, 'warning: auth/worker1-csr.json is yours');
    const report = await s!.run(['certs']);
    assert.is(report.code, 0, report.stdout + report.stderr);
    assert.match(
      report.stdout,
      new RegExp(
        /auth\/worker1\.pem {2}system:node:worker1 \(O system:nodes\)\n[\s\S]*?/.source +
          /warning: its SANs do not match the cluster's topology: /.source +
          /lacks worker1\.kubenet, 10\.9\.7\.15; names 10\.9\.8\.15/.source,
      ),
    );
    assert.match(report.stdout, "auth/worker2.pem  not in the cluster's topology");
    assert.match(report.stdout, '12 of 12 certificates made, 1 with warnings');
  },
);

test(
  'kubenet certs: subject, SANs, issuer, key usages and ' + 'expiry; one that expires within 30 days is a warning',
  async () => {
    if (skipUnless(haveAuthTools, authToolsWhy)) return;
    s!.cluster('  network: 10.9.7\n  workers: 2\n');
    rmSync(join(s!.auth, 'worker1-csr.json')); // back to kubenet's request for worker1…
    // …and sign for ten days
    writeFileSync(join(s!.auth, 'ca-config.json'), s!.file('ca-config.json').replace(/87600h/g, '240h'));
    const r = await s!.run(['run', '42-kubeconfigs']);
    assert.is(r.code, 0, r.stdout + r.stderr);
    assert.equal(
      certsMade(s!.take()).sort(),
      [
        'admin',
        'control0',
        'control1',
        'control2',
        'kube-controller-manager',
        'kube-proxy',
        'kube-scheduler',
        'kubernetes',
        'service-account',
        'worker0',
        'worker1',
      ].sort(),
      "the CA configuration is every certificate's input",
    );
    const report = await s!.run(['certs']);
    assert.match(
      report.stdout,
      new RegExp(
        /auth\/ca\.pem {2}Kubernetes \(O Kubernetes\)\n {4}issuer {3}Kubernetes \(itself\)\n/.source +
          / {4}usages {3}certificate sign, CRL sign\n {4}expires {2}\d{4}-\d\d-\d\d \(in 18\d\d days\)\n\n/.source,
      ),
    );
    assert.match(
      report.stdout,
      new RegExp(
        /auth\/admin\.pem {2}admin \(O system:masters\)\n {4}issuer {3}Kubernetes\n/.source +
          / {4}usages {3}digital signature, key encipherment; server auth, client auth\n/.source +
          / {4}expires {2}\d{4}-\d\d-\d\d \(in (9|10) days\)\n {4}warning: expires in (9|10) days/.source,
      ),
    );
    assert.match(report.stdout, '12 of 12 certificates made, 11 with warnings');
    const json = JSON.parse((await s!.run(['certs', '--json'])).stdout) as {
      certificates: { file: string; sans: string[]; warnings: string[] }[];
    };
    assert.equal(json.certificates.find((c) => c.file === 'auth/control1.pem')!.sans, [
      'control1',
      'control1.kubenet',
      '10.9.7.12',
    ]);
    assert.not.match(JSON.stringify(json), 'PRIVATE KEY');
  },
);

test('reset of the CA makes a new one and everything it signs — and only reset does', async () => {
  if (skipUnless(haveAuthTools, authToolsWhy)) return;
  const oldCa = s!.file('ca.pem');
  writeFileSync(join(s!.auth, 'ca-csr.json'), s!.file('ca-csr.json').replace('"OU": "kubenet"', '"OU": "another"'));
  const kept = await s!.run(['run', '41-certificates']);
  assert.is(kept.code, 0, kept.stdout + kept.stderr);
  assert.equal(s!.take(), [], 'an edited CA request makes no new CA');
  assert.is(s!.file('ca.pem'), oldCa);
  const refused = await s!.run(['reset', '40-certificate-authority']);
  assert.is(refused.code, 2, 'no terminal, no --yes: nothing deleted');
  assert.is(s!.file('ca.pem'), oldCa);
  const reset = await s!.run(['reset', '40-certificate-authority', '--yes']);
  assert.is(reset.code, 0, reset.stdout + reset.stderr);
  assert.match(reset.stdout, 'auth/ca-key.pem');
  const r = await s!.run(['run', '42-kubeconfigs']);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(
    r.stdout,
    'the CA made before is gone (auth/ca.pem, auth/ca-key.pem, ' +
      'auth/ca.csr): making a new one — what the old one signed is made anew',
  );
  const calls = s!.take();
  assert.equal(certsMade(calls), [
    'ca',
    'kubernetes',
    'admin',
    'kube-scheduler',
    'kube-controller-manager',
    'kube-proxy',
    'service-account',
    'control0',
    'worker0',
    'control1',
    'worker1',
    'control2',
  ]);
  assert.is(kubeconfigsMade(calls).length, 9);
  assert.is.not(s!.file('ca.pem'), oldCa);
  assert.match(openssl('x509', '-in', join(s!.auth, 'ca.pem'), '-noout', '-subject'), 'OU = another');
  assert.is(
    openssl('verify', '-CAfile', join(s!.auth, 'ca.pem'), join(s!.auth, 'admin.pem')).trim(),
    `${join(s!.auth, 'admin.pem')}: OK`,
  );
});

test.run();
