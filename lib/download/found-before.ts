// Where a download whose name is found (find-elsewhere.ts) may be, and what this folder found
// before — read from images/ alone, without the network, for list, guide, explain and --dry-run
// as much as for a run.
import { readdirSync } from 'node:fs';
import { dirname, posix } from 'node:path';
import { readJson } from '../fs/json-file.js';
import type { Paths } from '../paths.js';
import { roles, trustedRecord, type DownloadRecord } from './records.js';
import { fileNameOf, upstreamUrl } from './source-url.js';
import type { Artifact, Elsewhere } from './types.js';

// A directory to ask, and which of its files would do.
export interface Place {
  dir: URL;
  shown: string; // the file's shape, as a user reads it
  match(name: string): boolean;
  version(name: string): number; // larger is newer
  why?: string;
  guide: boolean;
}

export function placesOf(artifact: Artifact): Place[] {
  const guide = upstreamUrl(artifact.url);
  const name = fileNameOf(guide);
  const first: Place = {
    dir: new URL('.', guide),
    shown: name,
    match: (n) => n === name,
    version: () => 0,
    guide: true,
  };
  return [first, ...(artifact.elsewhere ?? []).map((e) => placeOf(e))];
}

const placeOf = (e: Elsewhere): Place => ({
  dir: new URL(e.dir), // an https directory, ending in a slash (define.ts checks)
  shown: e.shown,
  match: (n) => e.file.test(n),
  version: (n) => Number(e.file.exec(n)?.[1] ?? 0),
  ...(e.why ? { why: e.why } : {}),
  guide: false,
});

// The newest file of the place's shape that the listing has, if any.
export const newest = (place: Place, listing: Map<string, string[]>): string | undefined =>
  [...listing.keys()].filter((n) => place.match(n)).sort((a, b) => place.version(b) - place.version(a))[0];

// What this folder found before: a record in images/ for a file of one of the places' shapes,
// trusted (still the file it verified) before any other, then the newest.
export interface Earlier {
  name: string;
  url: string;
  place: Place;
  record: DownloadRecord;
  trusted: boolean;
}

export function foundBefore(paths: Paths, places: Place[], cacheRoot?: string): Earlier | undefined {
  const folder = dirname(paths.downloadRecord('x'));
  let names: string[];
  try {
    names = readdirSync(folder).filter((n) => n.endsWith('.json'));
  } catch {
    return undefined;
  }
  const earlier: Earlier[] = [];
  for (const file of names) {
    const record = readJson<DownloadRecord>(`${folder}/${file}`, { own: roles.record });
    if (!record?.url) continue;
    const url = new URL(record.url);
    const name = posix.basename(url.pathname);
    if (`${name}.json` !== file) continue;
    const place = places.find((p) => new URL('.', url).href === p.dir.href && p.match(name));
    if (!place) continue;
    earlier.push({
      name,
      url: record.url,
      place,
      record,
      trusted: trustedRecord(record, paths.artifact(name), cacheRoot) !== undefined,
    });
  }
  return earlier.sort((a, b) => Number(b.trusted) - Number(a.trusted) || b.record.verifiedAt - a.record.verifiedAt)[0];
}
