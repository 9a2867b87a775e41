// `kubenet import FILE…`: images the learner already downloaded (the guide's wget), from anywhere,
// made kubenet's verified downloads without a byte transferred. Each FILE is recognised by its
// name among the downloads the tasks declare (for either guest architecture).
import { basename } from 'node:path';
import { ExitCode, KubenetError } from '../../errors.js';
import { checkImagesDir } from '../../fs/images-dir.js';
import type { GuestArch } from '../../host/types.js';
import { formatBytes } from '../../runner/format-progress.js';
import { suggestions } from '../../suggestions.js';
import type { CommandInput } from '../command-input.js';
import { onStopSignals } from '../../runner/stop-signals.js';
import { importFile } from '../../download/cache/import-file.js';

const arches: readonly GuestArch[] = ['aarch64', 'x86_64'];

export async function importFiles({ line, options, graph, settings, paths }: CommandInput<'import'>): Promise<number> {
  if (line.words.length === 0) {
    throw new KubenetError('import needs the files to import', {
      code: ExitCode.usage,
      hint: 'e.g. kubenet import ~/Downloads/jammy-server-cloudimg-amd64.img (kubenet list names the downloads)',
    });
  }
  const downloads = await graph.downloads();
  const byFile = new Map(
    downloads.flatMap((d) => arches.map((arch) => [d.file(arch), { download: d, url: d.url(arch) }] as const)),
  );
  // A name found elsewhere (the live ISO's ubuntu-22.04.N-…iso) is recognised by its shape.
  const elsewhere = downloads.flatMap((d) =>
    arches.flatMap((arch) => (d.elsewhere?.(arch) ?? []).map((place) => ({ download: d, place }))),
  );
  const shapes = [...byFile.keys(), ...elsewhere.map((e) => e.place.shown)];
  const wanted = line.words.map((file) => {
    const name = basename(file);
    const known = byFile.get(name);
    if (known) return { file, ...known };
    const found = elsewhere.find((e) => e.place.file.test(name));
    if (found) return { file, download: found.download, url: `${found.place.dir}${name}` };
    const near = suggestions(name, shapes, 1);
    throw new KubenetError(
      `${file}: kubenet knows no download of that name${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}`,
      {
        code: ExitCode.usage,
        hint:
          `A file is recognised by upstream's name for it: ` +
          `${shapes.join(', ')}. Rename a copy to its upstream name.`,
      },
    );
  });
  const { sums } = options;
  if (sums !== undefined && wanted.length > 1 && new Set(wanted.map((w) => w.download.name)).size > 1) {
    throw new KubenetError('--sums names one SHA256SUMS: import the files of different downloads one at a time', {
      code: ExitCode.usage,
      hint: 'upstream publishes one SHA256SUMS per folder (the ISO and the cloud image each have their own)',
    });
  }
  await checkImagesDir(paths.root, { write: true });
  const log = (text: string) => process.stderr.write(`kubenet: ${text}\n`);
  const stop = onStopSignals();
  const results = [];
  try {
    for (const w of wanted) {
      results.push(
        await importFile({
          file: w.file,
          url: w.url,
          paths,
          offline: settings.offline,
          signal: stop.signal,
          log,
          trustedKeys: settings.trustedKeys,
          requireSignature: settings.requireSignature,
          ...(sums === undefined ? {} : { sums }),
          ...(settings.mirror ? { mirror: settings.mirror } : {}),
          ...(settings.cache ? { cache: settings.cache } : {}),
        }),
      );
    }
  } finally {
    stop.dispose();
  }
  if (options.json === true) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    return ExitCode.ok;
  }
  const how = {
    linked: 'a hard link: no space used',
    copied: 'a copy of your file, which stays yours',
    already: 'already in images/',
    exists: 'already in images/',
  } as const;
  for (const r of results)
    process.stdout.write(
      `${r.name}  ${formatBytes(r.size)}  sha256:${r.sha256}  imported ` +
        `(${how[r.placed]}), checked against ${r.checkedAgainst}\n`,
    );
  return ExitCode.ok;
}
