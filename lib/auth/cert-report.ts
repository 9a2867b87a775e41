// `kubenet certs` as data: each certificate the cluster's topology calls for, what it says, and
// what is wrong with it — expiring within 30 days, not signed by the CA, a key that is not its
// own, or a subject or SANs that no longer match the topology (kubenet.yaml cluster:). Pure: the
// files come in read.
import { authDir } from '../paths.js';
import type { Certificate } from './auth-files.js';
import type { CertFacts } from './x509-facts.js';

export const expiryWarningDays = 30;

export interface CertReading {
  cert: Certificate; // what the topology asks for
  facts?: CertFacts; // undefined: not made yet
  error?: string; // unreadable
  signedByCa?: boolean; // its signature checks against auth/ca.pem
  keyMatches?: boolean; // NAME-key.pem is its key
}

export interface CertRow {
  file: string;
  cn?: string;
  o?: string[];
  sans?: string[];
  issuer?: string;
  usages?: string[];
  extendedUsages?: string[];
  expires?: string; // ISO date
  daysLeft?: number;
  state: 'ok' | 'warn' | 'missing';
  warnings: string[];
}

const day = 86_400_000;
const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

export function certRow(reading: CertReading, now: Date): CertRow {
  const { cert, facts } = reading;
  const file = `${authDir}/${cert.name}.pem`;
  if (reading.error) return { file, state: 'warn', warnings: [`cannot be read: ${reading.error}`] };
  if (!facts) return { file, state: 'missing', warnings: [] };
  const warnings: string[] = [];
  const cn = facts.subject.CN?.[0];
  const o = facts.subject.O ?? [];
  const daysLeft = Math.floor((facts.notAfter.getTime() - now.getTime()) / day);
  if (daysLeft < 0) warnings.push(`expired on ${facts.notAfter.toISOString().slice(0, 10)}`);
  else if (daysLeft < expiryWarningDays)
    warnings.push(
      `expires in ${daysLeft} day${daysLeft === 1 ? '' : 's'} (${facts.notAfter.toISOString().slice(0, 10)})`,
    );
  if (now < facts.notBefore) warnings.push(`not valid before ${facts.notBefore.toISOString()}`);
  if (cn !== cert.cn) warnings.push(`its CN is ${cn ?? 'missing'}, the topology asks for ${cert.cn}`);
  if (!sameSet(o, [cert.o])) warnings.push(`its O is ${o.join(', ') || 'missing'}, the topology asks for ${cert.o}`);
  if (!sameSet(facts.sans, cert.hosts)) {
    const missing = cert.hosts.filter((h) => !facts.sans.includes(h));
    const extra = facts.sans.filter((h) => !cert.hosts.includes(h));
    warnings.push(
      "its SANs do not match the cluster's topology" +
        (missing.length ? `: lacks ${missing.join(', ')}` : '') +
        (extra.length ? `${missing.length ? ';' : ':'} names ${extra.join(', ')}, which it does not have` : ''),
    );
  }
  if (reading.signedByCa === false)
    warnings.push(
      cert.name === 'ca'
        ? 'it is not self-signed'
        : `it is not signed by ${authDir}/ca.pem: nothing that trusts the CA trusts it`,
    );
  if (reading.keyMatches === false) warnings.push(`${authDir}/${cert.name}-key.pem is not its key`);
  if (cert.name === 'ca' && !facts.isCa) warnings.push('it is not a CA certificate');
  return {
    file,
    ...(cn === undefined ? {} : { cn }),
    o,
    sans: facts.sans,
    issuer: facts.issuer.CN?.[0] ?? '?',
    usages: facts.keyUsage,
    extendedUsages: facts.extendedKeyUsage,
    expires: facts.notAfter.toISOString(),
    daysLeft,
    state: warnings.length ? 'warn' : 'ok',
    warnings,
  };
}

export function formatCertRows(rows: readonly CertRow[], extra: readonly string[]): string {
  const lines: string[] = [];
  for (const r of rows) {
    if (r.state === 'missing') {
      lines.push(`${r.file}  not made yet (kubenet run 41-certificates)`, '');
      continue;
    }
    lines.push(`${r.file}  ${r.cn ?? '?'}${r.o?.length ? ` (O ${r.o.join(', ')})` : ''}`);
    if (r.sans?.length) lines.push(`    SANs     ${r.sans.join(', ')}`);
    if (r.issuer) lines.push(`    issuer   ${r.issuer}${r.file === `${authDir}/ca.pem` ? ' (itself)' : ''}`);
    if (r.usages)
      lines.push(`    usages   ${[r.usages.join(', '), r.extendedUsages?.join(', ')].filter(Boolean).join('; ')}`);
    if (r.expires) lines.push(`    expires  ${r.expires.slice(0, 10)} (in ${r.daysLeft} days)`);
    for (const w of r.warnings) lines.push(`    warning: ${w}`);
    lines.push('');
  }
  for (const file of extra)
    lines.push(`${file}  not in the cluster's topology (kubenet.yaml cluster:): no VM uses it`, '');
  const warned = rows.filter((r) => r.state === 'warn').length;
  const missing = rows.filter((r) => r.state === 'missing').length;
  lines.push(
    `${rows.length - missing} of ${rows.length} certificates ` +
      `made${warned ? `, ${warned} with warnings` : ', no warnings'}`,
  );
  return lines.join('\n');
}
