// A self-signed certificate and its key, made by openssl in `dir` (cert.pem, key.pem): the TLS server
// of a test's own (download-tls, download-proxy), or a certificate whose facts a test reads (x509-facts).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export interface SelfSignedOptions {
  subject?: string; // openssl's -subj
  days?: number;
  extensions?: readonly string[]; // each an -addext: subjectAltName=DNS:localhost, keyUsage=…
}

export function selfSigned(dir: string, options: SelfSignedOptions = {}): { cert: string; key: string } {
  const { subject = '/CN=localhost', days = 1, extensions = [] } = options;
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const args = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', String(days), '-subj', subject];
  const added = extensions.flatMap((e) => ['-addext', e]);
  execFileSync('openssl', [...args, ...added, '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { cert, key };
}
