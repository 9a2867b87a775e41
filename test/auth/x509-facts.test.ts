// What `kubenet certs` reads of a certificate, against certificates openssl makes with known
// contents: the key usages Node does not expose, read from the DER (one byte of bits and two),
// the extended ones, SANs and subject.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { certFacts, keyUsageOf, sansOf } from '../../lib/auth/x509-facts.js';
import { which } from '../../lib/host/which.js';
import { selfSigned } from '../helpers/self-signed.js';
import { skipUnless } from '../helpers/skip.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('x509 facts');
const openssl = which('openssl');

function makeCert(extensions: string[]): Buffer {
  const dir = tempDir();
  try {
    const subject = '/C=PL/O=system:nodes/OU=kubenet/CN=system:node:worker0';
    return readFileSync(selfSigned(dir.path, { subject, days: 3, extensions }).cert);
  } finally {
    dir.remove();
  }
}

test("a node certificate's subject, SANs and usages, as the guide's profile makes them", () => {
  if (skipUnless(openssl, 'openssl is not installed (apt-get install openssl)')) return;
  const f = certFacts(
    makeCert([
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth,clientAuth',
      'subjectAltName=DNS:worker0,DNS:worker0.kubenet,IP:192.168.1.14',
      'basicConstraints=critical,CA:FALSE',
    ]),
  );
  assert.equal(f.subject.CN, ['system:node:worker0']);
  assert.equal(f.subject.O, ['system:nodes']);
  assert.equal(f.sans, ['worker0', 'worker0.kubenet', '192.168.1.14']);
  assert.equal(f.keyUsage, ['digital signature', 'key encipherment']);
  assert.equal(f.extendedKeyUsage, ['server auth', 'client auth']);
  assert.is(f.isCa, false);
  assert.ok(f.notAfter.getTime() - f.notBefore.getTime() === 3 * 86_400_000);
});

test('key usages past the first byte, not critical, and none at all', () => {
  if (skipUnless(openssl, 'openssl is not installed (apt-get install openssl)')) return;
  assert.equal(keyUsageOf(new X509Certificate(makeCert(['keyUsage=keyCertSign,cRLSign,decipherOnly'])).raw), [
    'certificate sign',
    'CRL sign',
    'decipher only',
  ]);
  assert.equal(
    certFacts(makeCert(['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'])).keyUsage,
    ['certificate sign', 'CRL sign'],
  );
  assert.equal(certFacts(makeCert(['keyUsage=keyAgreement'])).keyUsage, ['key agreement']);
});

test('SANs as Node spells them', () => {
  assert.equal(sansOf('DNS:kubernetes, IP Address:10.32.0.1, IP Address:127.0.0.1'), [
    'kubernetes',
    '10.32.0.1',
    '127.0.0.1',
  ]);
  assert.equal(sansOf(undefined), []);
});

test.run();
