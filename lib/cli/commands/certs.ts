// `kubenet certs`: every certificate chapter 4 makes (images/auth/), with its subject, SANs,
// issuer, key usages and expiry, and a warning for one that expires within 30 days, is not signed
// by the CA, has another key, or no longer matches the cluster's topology. Reads the private keys
// only to check that they belong to their certificates; prints nothing of them.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { allCertificates } from '../../auth/auth-files.js';
import { authDir } from '../../paths.js';
import { certRow, formatCertRows, type CertReading } from '../../auth/cert-report.js';
import { certFacts } from '../../auth/x509-facts.js';
import { topology } from '../../settings/topology.js';
import { ExitCode } from '../../errors.js';
import { readOwn } from '../../fs/no-follow.js';
import type { CommandInput } from '../command-input.js';

export async function certs({ options, paths, settings }: CommandInput<'certs'>): Promise<number> {
  const dir = paths.auth;
  const expected = allCertificates(topology(settings.cluster));
  const ca = await readCert(join(dir, 'ca.pem'));
  const readings: CertReading[] = [];
  for (const cert of expected) {
    const reading: CertReading = { cert };
    try {
      const pem = await readOwn(join(dir, `${cert.name}.pem`));
      if (pem) {
        const x = new X509Certificate(pem);
        reading.facts = certFacts(pem);
        if (ca) reading.signedByCa = x.verify(ca.publicKey);
        const key = await readOwn(join(dir, `${cert.name}-key.pem`));
        if (key) reading.keyMatches = x.checkPrivateKey(createPrivateKey(key));
      }
    } catch (error) {
      reading.error = (error as Error).message;
    }
    readings.push(reading);
  }
  const rows = readings.map((r) => certRow(r, new Date()));
  const names = new Set(expected.map((c) => `${c.name}.pem`));
  const present = await readdir(dir).catch(() => [] as string[]);
  const extra = present
    .filter((f) => f.endsWith('.pem') && !f.endsWith('-key.pem') && !names.has(f))
    .sort()
    .map((f) => `${authDir}/${f}`);
  const json = { certificates: rows, notInTopology: extra };
  if (options.json === true) process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  else process.stdout.write(`${formatCertRows(rows, extra)}\n`);
  return ExitCode.ok;
}

async function readCert(path: string): Promise<X509Certificate | undefined> {
  try {
    const pem = await readOwn(path);
    return pem ? new X509Certificate(pem) : undefined;
  } catch {
    return undefined;
  }
}
