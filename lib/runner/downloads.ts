// The downloads of one run: each fetched (or found current) at most once, through the runner's
// progress and notices, with the user's mirror, --offline and own choice (--live-iso); the name
// each has — found, not fixed, for the live ISO — is the one the step's commands then use. (Overlays never lose their
// base:
// see lib/disk/protect-backing.ts.) In --dry-run, the guide's `wget` for whatever is not verified
// here yet.
import { statSync, type Stats } from 'node:fs';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FetchResult, Progress } from '../download/types.js';
import { ExitCode, isKubenetError, KubenetError } from '../errors.js';
import type { GuestArch } from '../host/types.js';
import type { Paths } from '../paths.js';
import type { Settings } from '../settings/settings.js';
import type { Download, DownloadedFile } from '../task/types.js';
import { artifactOf, chosenFor, nameHere } from './download-names.js';
import { formatProgress } from './format-progress.js';

export interface DownloadReport {
  note(line: string): void;
  progress(text: string): void;
  show(line: string): void; // --dry-run
}

export class RunDownloads {
  private readonly done = new Map<string, Promise<DownloadedFile>>();
  private readonly names = new Map<string, string>(); // download → its file, once ensured

  constructor(
    private readonly input: {
      paths: Paths;
      settings: Settings;
      arch: GuestArch;
      dryRun: boolean;
      signal: AbortSignal;
      report: DownloadReport;
    },
  ) {}

  ensure(download: Download): Promise<DownloadedFile> {
    let pending = this.done.get(download.name);
    if (!pending) {
      pending = this.fetch(download).then((got) => (this.names.set(download.name, got.file), got));
      this.done.set(download.name, pending);
    }
    return pending;
  }

  // The name a command gives the download: the file this run fetched, else its name here.
  fileOf(download: Download): string {
    const { paths, settings, arch } = this.input;
    return this.names.get(download.name) ?? nameHere(download, arch, { paths, settings }).file;
  }

  private async fetch(download: Download): Promise<DownloadedFile> {
    const { paths, settings, arch, report } = this.input;
    const artifact = artifactOf(download, arch, settings);
    const known = (file: string, sha256: string): DownloadedFile => ({
      name: download.name,
      file,
      path: paths.artifact(file),
      sha256,
      url: artifact.url,
    });
    const chosen = chosenFor(download, settings);
    if (chosen && 'file' in chosen) return yourFile(download, chosen, report);
    if (this.input.dryRun) {
      const here = nameHere(download, arch, { paths, settings });
      if (here.state === 'verified' && here.sha256) return known(here.file, here.sha256);
      report.show(
        `$ wget ${here.url ?? artifact.url}    # ${download.title}, verified against the SHA256SUMS beside it`,
      );
      if (here.renamed) report.show(`#   not the guide's ${here.renamed.guide}: ${here.renamed.why}`);
      return known(here.file, '');
    }
    const { fetchArtifact } = await import('../download/index.js');
    const options = {
      paths,
      ...(settings.mirror ? { mirror: settings.mirror } : {}),
      ...(settings.cache ? { cache: settings.cache } : {}),
      offline: settings.offline,
      trustedKeys: settings.trustedKeys,
      requireSignature: settings.requireSignature,
      signal: this.input.signal,
      onProgress: (p: Progress) => report.progress(formatProgress(p)),
      log: (line: string) => report.note(line),
    };
    const result = await fetchArtifact(artifact, options).catch(async (error: unknown) => {
      // A new image upstream that cannot be had now is no reason to stop when a verified copy is
      // here: say so and use it. (An upstream that cannot even be checked: fetchArtifact says so.)
      if (settings.offline || !isKubenetError(error) || error.code !== ExitCode.download) throw error;
      let refused: unknown;
      const cached = await fetchArtifact(artifact, { ...options, offline: true }).catch(
        (why: unknown) => void (refused = why),
      );
      // A copy that was there but not used (another source vouched for it) is named with the error.
      if (!cached)
        throw isKubenetError(refused) && refused.details
          ? new KubenetError(error.message, {
              code: error.code,
              hint: error.hint,
              cause: error,
              details: [error.details, refused.details].filter(Boolean).join('\n'),
            })
          : error;
      report.note(`upstream could not be used (${error.message}); using the verified copy in images/`);
      return cached;
    });
    const words: Record<FetchResult['status'], string> = {
      downloaded: 'downloaded and verified',
      resumed: 'download resumed, finished and verified',
      cached: 'verified copy is current',
      updated: 'upstream published a new image: downloaded and verified',
      adopted: 'the file already here matches SHA256SUMS: adopted, nothing downloaded',
      shared: 'verified copy from the shared cache, nothing downloaded',
    };
    report.note(`${basename(result.path)}: ${words[result.status]} (sha256 ${result.sha256.slice(0, 16)}…)`);
    return known(result.name, result.sha256);
  }
}

// --live-iso FILE: the user's own file, used where it is — never moved, copied, linked or changed;
// kubenet has no SHA256SUMS to check it against, and says so.
function yourFile(download: Download, chosen: { file: string; from: string }, report: DownloadReport): DownloadedFile {
  let stats: Stats;
  try {
    stats = statSync(chosen.file);
  } catch (cause) {
    throw new KubenetError(
      `${chosen.from} ${chosen.file}: ` +
        `${(cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (cause as Error).message}`,
      {
        code: ExitCode.usage,
        cause,
        hint: `Give the path of ${download.title} you have, or an https URL of one.`,
      },
    );
  }
  if (!stats.isFile())
    throw new KubenetError(`${chosen.from} ${chosen.file} is not a file`, {
      code: ExitCode.usage,
      hint: `Give the path of ${download.title} you have.`,
    });
  report.note(
    `${download.name}: your ${chosen.file} (${chosen.from}), used where it is and as it ` +
      `is: kubenet neither moves nor changes it, and has no SHA256SUMS to check it against`,
  );
  return {
    name: download.name,
    file: chosen.file,
    path: chosen.file,
    sha256: '',
    url: pathToFileURL(chosen.file).href,
  };
}
