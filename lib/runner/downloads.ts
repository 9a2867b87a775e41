// The downloads of one run: each fetched (or found current) at most once, through the runner's
// progress and notices, with the user's mirror and --offline. (Overlays never lose their base:
// see lib/disk/protect-backing.ts.) In --dry-run, the guide's `wget` for whatever is not verified
// here yet.
import { basename } from 'node:path';
import type { FetchResult, Progress } from '../download/types.js';
import { downloadStatus } from '../download/status.js';
import { ExitCode, isKubenetError } from '../errors.js';
import type { GuestArch } from '../host/types.js';
import type { Paths } from '../paths.js';
import type { Settings } from '../settings/settings.js';
import type { Download, DownloadedFile } from '../task/types.js';
import { formatProgress } from './format-progress.js';

export interface DownloadReport {
  note(line: string): void;
  progress(text: string): void;
  show(line: string): void; // --dry-run
}

export class RunDownloads {
  private readonly done = new Map<string, Promise<DownloadedFile>>();

  constructor(
    private readonly input: { paths: Paths; settings: Settings; arch: GuestArch; dryRun: boolean; signal: AbortSignal; report: DownloadReport },
  ) {}

  ensure(download: Download): Promise<DownloadedFile> {
    let pending = this.done.get(download.name);
    if (!pending) {
      pending = this.fetch(download);
      this.done.set(download.name, pending);
    }
    return pending;
  }

  private async fetch(download: Download): Promise<DownloadedFile> {
    const { paths, settings, arch, report } = this.input;
    const url = download.url(arch);
    const file = download.file(arch);
    const known = (sha256: string): DownloadedFile => ({ name: download.name, file, path: paths.artifact(file), sha256, url });
    if (this.input.dryRun) {
      const status = downloadStatus(paths, file);
      if (status.state === 'verified' && status.sha256) return known(status.sha256);
      report.show(`$ wget ${url}    # ${download.title}, verified against the SHA256SUMS beside it`);
      return known('');
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
    const result = await fetchArtifact({ url }, options).catch(async (error: unknown) => {
      // A new image upstream that cannot be had now is no reason to stop when a verified copy is
      // here: say so and use it. (An upstream that cannot even be checked: fetchArtifact says so.)
      if (settings.offline || !isKubenetError(error) || error.code !== ExitCode.download) throw error;
      const cached = await fetchArtifact({ url }, { ...options, offline: true }).catch(() => undefined);
      if (!cached) throw error;
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
    return known(result.sha256);
  }
}
