// The warnings of `kubenet certs`, from certificates described as data: expiry within 30 days
// (and past), a subject or SANs the topology no longer asks for, a signature or key that is not
// the CA's or the certificate's own.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { certificates } from '../../lib/auth/auth-files.js';
import { certRow, formatCertRows } from '../../lib/auth/cert-report.js';
import type { CertFacts } from '../../lib/auth/x509-facts.js';
import { topology } from '../../lib/settings/topology.js';

const test = suite('cert report');
const now = new Date('2026-12-06T12:00:00Z');
const day = 86_400_000;
const worker0 = certificates(topology()).nodes.find((n) => n.name === 'worker0')!;
const facts = (over: Partial<CertFacts> = {}): CertFacts => ({
  subject: { CN: ['system:node:worker0'], O: ['system:nodes'] },
  issuer: { CN: ['Kubernetes'] },
  sans: ['192.168.1.14', 'worker0', 'worker0.kubenet'],
  isCa: false,
  keyUsage: ['digital signature', 'key encipherment'],
  extendedKeyUsage: ['server auth', 'client auth'],
  notBefore: new Date(now.getTime() - day),
  notAfter: new Date(now.getTime() + 3650 * day),
  serial: '01',
  fingerprint: 'AA',
  ...over,
});

test(
  'a certificate as the topology asks for it, signed by ' + 'the CA, with its own key: no warning (SANs in any order)',
  () => {
    const row = certRow({ cert: worker0, facts: facts(), signedByCa: true, keyMatches: true }, now);
    assert.is(row.state, 'ok');
    assert.equal(row.warnings, []);
    assert.is(row.daysLeft, 3650);
  },
);

const cases: [string, Parameters<typeof certRow>[0], RegExp][] = [
  [
    '29 days left',
    { cert: worker0, facts: facts({ notAfter: new Date(now.getTime() + 29.5 * day) }) },
    /^expires in 29 days \(2027-01-05\)$/,
  ],
  [
    '30 days left is no warning yet',
    { cert: worker0, facts: facts({ notAfter: new Date(now.getTime() + 30.5 * day) }) },
    /^$/,
  ],
  ['expired', { cert: worker0, facts: facts({ notAfter: new Date(now.getTime() - day) }) }, /^expired on 2026-12-05$/],
  [
    'another address',
    { cert: worker0, facts: facts({ sans: ['worker0', 'worker0.kubenet', '10.9.8.14'] }) },
    /^its SANs do not match the cluster's topology: lacks 192\.168\.1\.14; names 10\.9\.8\.14, which it does not have$/,
  ],
  [
    'another CN',
    { cert: worker0, facts: facts({ subject: { CN: ['worker0'], O: ['system:nodes'] } }) },
    /^its CN is worker0, the topology asks for system:node:worker0$/,
  ],
  [
    'another group',
    { cert: worker0, facts: facts({ subject: { CN: ['system:node:worker0'], O: ['system:masters'] } }) },
    /^its O is system:masters, the topology asks for system:nodes$/,
  ],
  ["not the CA's", { cert: worker0, facts: facts(), signedByCa: false }, /^it is not signed by auth\/ca\.pem/],
  ['not its key', { cert: worker0, facts: facts(), keyMatches: false }, /^auth\/worker0-key\.pem is not its key$/],
];
for (const [name, reading, warning] of cases) {
  test(`${name}: ${warning.source === '^$' ? 'none' : 'a warning'}`, () => {
    const row = certRow(reading, now);
    assert.match(row.warnings.join('\n'), warning);
    assert.is(row.state, warning.source === '^$' ? 'ok' : 'warn');
  });
}

test('the report: each certificate, the missing ones, those the topology no longer has, and a count', () => {
  const rows = [
    certRow({ cert: worker0, facts: facts({ notAfter: new Date(now.getTime() + 10 * day) }) }, now),
    certRow({ cert: { ...worker0, name: 'worker1' } }, now),
  ];
  const text = formatCertRows(rows, ['auth/worker9.pem']);
  assert.match(
    text,
    'auth/worker0.pem  system:node:worker0 (O system:nodes)\n    SANs     192.168.1.14, worker0, ' +
      'worker0.kubenet\n    issuer   Kubernetes\n    usages   digital signature, key encipherment; server ' +
      'auth, client auth\n    expires  2026-12-16 (in 10 days)\n    warning: expires in 10 days (2026-12-16)\n',
  );
  assert.match(text, 'auth/worker1.pem  not made yet (kubenet run 41-certificates)');
  assert.match(text, "auth/worker9.pem  not in the cluster's topology");
  assert.match(text, /1 of 2 certificates made, 1 with warnings$/);
});

test.run();
