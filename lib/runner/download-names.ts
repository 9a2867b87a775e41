// How a download is asked for and named on this host, in one place for a run, its --dry-run,
// prefetch, list, guide and explain: the artifact the download library fetches; the user's own
// choice instead (--live-iso FILE|URL); and the name it has here — the guide's, the one found
// before (the live ISO: jammy's released ISO, since the guide's daily build is gone), or, before
// anything is found, the shape it will have (ubuntu-22.04.N-desktop-amd64.iso). Reads images/
// only: never the network.
import { foundBefore, placesOf } from '../download/found-before.js';
import { downloadStatus, type DownloadStatus } from '../download/status.js';
import { fileNameOf } from '../download/source-url.js';
import type { Artifact } from '../download/types.js';
import type { GuestArch } from '../host/types.js';
import type { Paths } from '../paths.js';
import type { Settings } from '../settings/settings.js';
import { isUrl } from '../settings/url-kinds.js';
import type { Download } from '../task/types.js';

type Chosen = { file: string; from: string } | { url: string; from: string };

// The user's own file or URL for this download, and the setting that named it.
export function chosenFor(d: Download, settings: Pick<Settings, 'liveIso' | 'sources'>): Chosen | undefined {
  const value = d.choice === 'live-iso' ? settings.liveIso : undefined;
  if (!value) return undefined;
  const from = settings.sources['live-iso'] ?? '--live-iso';
  return isUrl(value) ? { url: value, from } : { file: value, from }; // an https URL, or an absolute path
}

export function artifactOf(d: Download, arch: GuestArch, settings: Pick<Settings, 'liveIso' | 'sources'>): Artifact {
  const chosen = chosenFor(d, settings);
  const base = { title: d.title, ...(d.maxBytes ? { maxBytes: d.maxBytes(arch) } : {}) };
  if (chosen && 'url' in chosen) return { ...base, url: chosen.url };
  return {
    ...base,
    url: d.url(arch),
    ...(d.elsewhere ? { elsewhere: d.elsewhere(arch) } : {}),
    ...(d.moved ? { moved: d.moved } : {}),
  };
}

// Where a download is, as the commands name it, and whether it is verified (what vouched for its
// SHA256SUMS when it is); 'yours': the user's own file, used in place.
export type NameHere = {
  file: string; // as the commands name it: relative to images/, or the user's own file's path
  url?: string; // where it comes from (or would: the shape's, before anything is found)
  renamed?: { guide: string; why: string }; // not the guide's name (`guide`), and why
} & (DownloadStatus | { state: 'yours' });

export function nameHere(
  d: Download,
  arch: GuestArch,
  { paths, settings }: { paths: Paths; settings: Pick<Settings, 'liveIso' | 'sources' | 'cache'> },
): NameHere {
  const guide = d.file(arch);
  const chosen = chosenFor(d, settings);
  if (chosen) {
    const file = 'file' in chosen ? chosen.file : fileNameOf(chosen.url);
    const renamed = { guide, why: `your choice (${chosen.from})` };
    if ('file' in chosen) return { file, state: 'yours', renamed };
    return {
      file,
      url: chosen.url,
      ...downloadStatus(paths, file, settings.cache),
      ...(file === guide ? {} : { renamed }),
    };
  }
  if (!d.elsewhere) return { file: guide, url: d.url(arch), ...downloadStatus(paths, guide, settings.cache) };
  const places = placesOf(artifactOf(d, arch, settings));
  const earlier = foundBefore(paths, places, settings.cache);
  if (earlier?.place.guide)
    return { file: earlier.name, url: earlier.url, ...downloadStatus(paths, earlier.name, settings.cache) };
  const place = earlier?.place ?? places[1]!;
  const file = earlier?.name ?? place.shown;
  const gone = d.moved ? `${d.moved.why}; ` : '';
  const why = earlier
    ? `${gone}kubenet found ${file} in ${place.dir.href}${place.why ? ` (${place.why})` : ''}`
    : `${gone}kubenet asks the guide's URL first, in case it comes back, then takes the newest ${file} in ` +
      `${place.dir.href}${place.why ? ` (${place.why})` : ''} — N is the point release its SHA256SUMS lists`;
  return {
    file,
    url: earlier?.url ?? `${place.dir.href}${file}`,
    ...(earlier ? downloadStatus(paths, file, settings.cache) : { state: 'missing' as const }),
    renamed: { guide, why },
  };
}
