// What `kubenet certs` shows of a certificate, read with Node's own X509Certificate: subject,
// issuer, SANs, validity — and its key usages, which Node does not expose (its keyUsage is the
// extended key usages): those are read from the certificate's DER (the keyUsage extension,
// RFC 5280 §4.2.1.3).
import { X509Certificate } from 'node:crypto';

export interface CertFacts {
  subject: Record<string, string[]>; // CN, O, OU, … (a field may repeat)
  issuer: Record<string, string[]>;
  sans: string[]; // DNS names and IP addresses, as the certificate lists them
  isCa: boolean;
  keyUsage: string[]; // digital signature, key encipherment, certificate sign, …
  extendedKeyUsage: string[]; // server auth, client auth (or the OID)
  notBefore: Date;
  notAfter: Date;
  serial: string;
  fingerprint: string; // SHA-256
}

const names = (dn: string): Record<string, string[]> => {
  const out: Record<string, string[]> = {};
  for (const line of dn.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) (out[line.slice(0, at)] ??= []).push(line.slice(at + 1));
  }
  return out;
};

// "DNS:kubernetes, IP Address:10.32.0.1" → ['kubernetes', '10.32.0.1']
export const sansOf = (text: string | undefined): string[] =>
  text ? text.split(', ').map((s) => s.replace(/^(DNS|IP Address):/, '')) : [];

const ekuNames: Record<string, string> = { '1.3.6.1.5.5.7.3.1': 'server auth', '1.3.6.1.5.5.7.3.2': 'client auth' };

export function certFacts(pem: string | Buffer): CertFacts {
  const x = new X509Certificate(pem);
  return {
    subject: names(x.subject),
    issuer: names(x.issuer),
    sans: sansOf(x.subjectAltName),
    isCa: x.ca,
    keyUsage: keyUsageOf(x.raw),
    extendedKeyUsage: (x.keyUsage ?? []).map((oid) => ekuNames[oid] ?? oid),
    notBefore: new Date(x.validFrom),
    notAfter: new Date(x.validTo),
    serial: x.serialNumber,
    fingerprint: x.fingerprint256,
  };
}

const keyUsageBits = [
  'digital signature',
  'non repudiation',
  'key encipherment',
  'data encipherment',
  'key agreement',
  'certificate sign',
  'CRL sign',
  'encipher only',
  'decipher only',
];

// The keyUsage extension: its OID (2.5.29.15), an optional critical flag, then an OCTET STRING
// holding a BIT STRING whose bits, from the first byte's highest, are the usages above.
export function keyUsageOf(der: Buffer): string[] {
  const oid = Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x0f]);
  let at = der.indexOf(oid);
  if (at < 0) return [];
  at += oid.length;
  if (der[at] === 0x01) at += 2 + der[at + 1]!; // critical: BOOLEAN
  if (der[at] !== 0x04) return [];
  at += 2; // OCTET STRING, short length (a keyUsage value is a few bytes)
  if (der[at] !== 0x03) return [];
  const length = der[at + 1]!;
  const bits = der.subarray(at + 3, at + 2 + length); // after the unused-bits count
  return keyUsageBits.filter((_, i) => ((bits[i >> 3] ?? 0) & (0x80 >> (i & 7))) !== 0);
}
