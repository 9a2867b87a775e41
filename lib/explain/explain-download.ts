// `kubenet explain live-iso`: a download — the guide's URL, and, for one upstream has moved, why
// that URL serves nothing now and where kubenet finds the file instead, in order; then what it is
// called here. Pure but for reading images/ (nameHere).
import type { GuestArch } from '../host/types.js';
import type { Paths } from '../paths.js';
import { nameHere } from '../runner/download-names.js';
import type { Settings } from '../settings/settings.js';
import type { Download } from '../task/types.js';

export function explainDownload(d: Download, arch: GuestArch, where: { paths: Paths; settings: Settings }): string {
  const lines = [`${d.name}: ${d.title}`, `  the guide: ${d.url(arch)}`];
  const places = d.elsewhere?.(arch) ?? [];
  if (places.length) {
    if (d.moved) lines.push(`      no longer published: ${d.moved.why}`);
    lines.push('  kubenet asks, in order, and takes the first whose SHA256SUMS lists one (the newest, when it lists several):', `    1. the guide's URL, in case it comes back`);
    places.forEach((p, i) => lines.push(`    ${i + 2}. ${p.dir}${p.shown}${p.why ? ` — ${p.why}` : ''}`));
    if (d.moved) lines.push(`  none of them: ${d.moved.without}; or ${d.moved.option} FILE|URL; or kubenet import FILE`);
  } else {
    lines.push('      fetched by the steps that need it, verified against SHA256SUMS in the same directory');
  }
  const here = nameHere(d, arch, where);
  const state = { verified: 'verified', unverified: 'here, not verified', missing: 'not downloaded yet', yours: 'yours, used where it is' }[here.state];
  lines.push(`  here: ${here.file} (${state})${here.renamed && !places.length ? `, not the guide's ${here.renamed.guide}: ${here.renamed.why}` : ''}`);
  return lines.join('\n');
}
