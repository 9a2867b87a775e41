// Where an artifact and its SHA256SUMS come from, upstream or through a mirror laid out as `wget -x` does.
import { posix, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ExitCode, KubenetError } from '../errors.js';

const usage = (message: string, hint: string) => new KubenetError(message, { code: ExitCode.usage, hint });

// Upstream URLs must be https: plain http is only accepted when the user names such a mirror.
export function upstreamUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new KubenetError(`not a URL: ${shownUrl(url)}`, { code: ExitCode.usage, cause, hint: 'Artifacts are https URLs.' });
  }
  if (parsed.protocol !== 'https:') {
    throw usage(`refusing to download ${shownUrl(url)} over ${parsed.protocol.replace(':', '')}`,
      'Upstream artifacts are fetched over https; to use a plain-http server, name it with --mirror http://HOST/.');
  }
  if (fileNameOf(parsed) === '') throw usage(`no file name in ${shownUrl(url)}`, 'An artifact URL ends with the file name.');
  return parsed;
}

// The file name under images/ is the upstream basename: jammy-server-cloudimg-arm64.img.
export function fileNameOf(url: URL | string): string {
  return posix.basename(new URL(url).pathname);
}

// Ubuntu publishes one SHA256SUMS per directory.
export function sumsUrlOf(url: URL | string): URL {
  return new URL('SHA256SUMS', new URL(url));
}

// A mirror's base URL, checked — the one place a mirror is validated (settings normalise --mirror,
// KUBENET_MIRROR and kubenet.yaml with it). An http(s) server, or a folder on this machine
// (file:///DIR, or a path: /DIR, ./DIR relative to `cwd`), laid out as BASE/HOST/PATH either way. A
// query or fragment would swallow HOST/PATH, so it is refused rather than silently dropped; the
// base always ends in a slash.
export function mirrorBase(mirror: string, from = 'the mirror', cwd = process.cwd()): URL {
  const hint = 'Give the mirror as http(s)://HOST[/PATH], or a folder (/DIR or file:///DIR), laid out as BASE/HOST/PATH (what wget -x makes).';
  if (/^\.{0,2}\//.test(mirror)) return folderBase(resolve(cwd, mirror));
  let base: URL;
  try {
    base = new URL(mirror);
  } catch (cause) {
    throw new KubenetError(`${from} ${shownUrl(mirror)} is not a URL`, { code: ExitCode.usage, cause, hint });
  }
  if (base.protocol === 'file:') {
    if (base.host !== '' || base.search || base.hash) throw usage(`${from} ${mirror} is not a local folder (file:///DIR)`, hint);
    return folderBase(fileURLToPath(base));
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') throw usage(`${from} ${shownUrl(mirror)} is not an http(s) URL or a folder`, hint);
  if (base.search || base.hash || mirror.includes('?') || mirror.includes('#')) {
    throw usage(`${from} ${shownUrl(mirror)} has a ?query or #fragment: kubenet appends HOST/PATH to the mirror's path`,
      'Give the mirror as http(s)://HOST[/PATH] without ? or #; for a mirror that needs a password, use http(s)://USER:PASSWORD@HOST/.');
  }
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  return base;
}

const folderBase = (dir: string): URL => pathToFileURL(dir.endsWith(sep) ? dir : `${dir}${sep}`);

// A mirror on this machine: its files are read, never fetched (no network, no proxy).
export const isFolderMirror = (url: URL | string): boolean => new URL(url).protocol === 'file:';

// https://HOST/PATH → BASE/HOST/PATH; without a mirror the URL itself.
export function viaMirror(url: URL, mirror?: string): URL {
  if (mirror === undefined || mirror === '') return url;
  return new URL(`${url.host}${url.pathname}`, mirrorBase(mirror));
}

// A URL as kubenet shows it: the password of a mirror (http://user:pass@host/) never reaches a
// message, a notice or a log; a file in a folder mirror is shown as its path.
export function shownUrl(url: URL | string): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    return String(url).replace(/\/\/([^/@:]*):[^/@]*@/, '//$1:***@');
  }
  if (parsed.protocol === 'file:' && parsed.host === '') return fileURLToPath(parsed);
  if (parsed.password) parsed.password = '***';
  return parsed.href;
}
