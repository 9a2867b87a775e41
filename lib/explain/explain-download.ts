// `kubenet explain live-iso`: a download — the guide's URL, and, for one upstream has moved, why
// that URL serves nothing now and where kubenet finds the file instead, in order; whose signature
// its SHA256SUMS must carry; then what it is called here and what vouched for it. Pure but for
// reading images/ (nameHere).
import { describeSignature, signatureNeed, spacedFingerprint } from '../download/verify/signature-policy.js';
import type { GuestArch } from '../host/types.js';
import type { Paths } from '../paths.js';
import { nameHere } from '../runner/download-names.js';
import type { Settings } from '../settings/settings.js';
import type { Download } from '../task/types.js';

export function explainDownload(d: Download, arch: GuestArch, where: { paths: Paths; settings: Settings }): string {
  const guide = d.url(arch);
  const lines = [`${d.name}: ${d.title}`, `  the guide: ${guide}`];
  const places = d.elsewhere?.(arch) ?? [];
  if (places.length) {
    if (d.moved) lines.push(`      no longer published: ${d.moved.why}`);
    lines.push(
      '  kubenet asks, in order, and takes the first whose SHA256SUMS lists one (the newest, when it lists several):',
      `    1. the guide's URL, in case it comes back`,
    );
    places.forEach((p, i) => {
      lines.push(`    ${i + 2}. ${p.dir}${p.shown}${p.why ? ` — ${p.why}` : ''}`);
    });
    if (d.moved)
      lines.push(`  none of them: ${d.moved.without}; or ${d.moved.option} FILE|URL; or kubenet import FILE`);
  }
  const here = nameHere(d, arch, where);
  const { signer, trustedKeys } = signatureNeed(new URL(here.url ?? guide), where.settings);
  lines.push(
    '  fetched by the steps that need it, verified against SHA256SUMS in the same directory,',
    !signer
      ? '  its host publishes no signature kubenet knows a key for: checked by digest only'
      : `  whose signature (SHA256SUMS.gpg) must be by ` +
          (trustedKeys
            ? `a key of ${trustedKeys} (trusted-keys)`
            : `${signer.name} (${spacedFingerprint(signer.fingerprint)})`),
  );
  const state =
    here.state === 'verified'
      ? `verified; ${describeSignature(here.signature)}`
      : { unverified: 'in images/, not verified', missing: 'not downloaded', yours: 'yours, used where it is' }[
          here.state
        ];
  const named =
    here.file === d.file(arch)
      ? ''
      : ` — as ${here.file}` +
        `${here.renamed && !places.length ? `, not the guide's ${here.renamed.guide}: ${here.renamed.why}` : ''}`;
  lines.push(`  here: ${state}${named}`);
  return lines.join('\n');
}
