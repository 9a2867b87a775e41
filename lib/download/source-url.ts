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
    throw new KubenetError(`not a URL: ${shownUrl(url)}`, {
      code: ExitCode.usage,
      cause,
      hint: 'Artifacts are https URLs.',
    });
  }
  if (parsed.protocol !== 'https:') {
    throw usage(
      `refusing to download ${shownUrl(url)} over ${parsed.protocol.replace(':', '')}`,
      'Upstream artifacts are fetched over https; to use a plain-http server, name it with --mirror http://HOST/.',
    );
  }
  if (fileNameOf(parsed) === '')
    throw usage(`no file name in ${shownUrl(url)}`, 'An artifact URL ends with the file name.');
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
  const hint =
    'Give the mirror as http(s)://HOST[/PATH], or a folder (/DIR or ' +
    'file:///DIR), laid out as BASE/HOST/PATH (what wget -x makes).';
  if (/^\.{0,2}\//.test(mirror)) return folderBase(resolve(cwd, mirror));
  let base: URL;
  try {
    base = new URL(mirror);
  } catch (cause) {
    throw new KubenetError(`${from} ${shownUrl(mirror)} is not a URL`, { code: ExitCode.usage, cause, hint });
  }
  if (hasStrayAt(mirror, base)) throw usage(`${from} ${shownUrl(mirror)} ${strayAt}`, hint);
  if (base.protocol === 'file:') {
    if (base.host !== '' || base.search || base.hash)
      throw usage(`${from} ${shownUrl(mirror)} is not a local folder (file:///DIR)`, hint);
    return folderBase(fileURLToPath(base));
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:')
    throw usage(`${from} ${shownUrl(mirror)} is not an http(s) URL or a folder`, hint);
  if (base.search || base.hash || mirror.includes('?') || mirror.includes('#')) {
    throw usage(
      `${from} ${shownUrl(mirror)} has a ?query or #fragment: kubenet appends HOST/PATH to the mirror's path`,
      'Give the mirror as http(s)://HOST[/PATH] without ? or #; for a ' +
        'mirror that needs a password, use http(s)://USER:PASSWORD@HOST/.',
    );
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

// A URL as kubenet shows it — the one redaction for every URL it prints, in errors, notices,
// `kubenet config`, --verbose and records, whether the URL is valid or not: everything before the
// last '@' of the part after the scheme is credentials (a password, a user name, or a token used as
// either) and is shown as ***. Cut at the last '@', not at the first '/': a password written with
// an unencoded '/', '?', '#' or '@' hides nothing. (A URL with a real '@' in its path loses more
// than its credentials when shown: kubenet's upstream URLs have none.) A file in a folder mirror is
// shown as its path.
export function shownUrl(url: URL | string): string {
  const text = String(url);
  const at = text.lastIndexOf('@');
  if (at >= 0) {
    const scheme = text.indexOf('://');
    return `${scheme >= 0 && scheme < at ? text.slice(0, scheme + 3) : ''}***@${text.slice(at + 1)}`;
  }
  try {
    const parsed = new URL(text);
    return parsed.protocol === 'file:' && parsed.host === '' ? fileURLToPath(parsed) : parsed.href;
  } catch {
    return text;
  }
}

// Whether `text` has an '@' the URL parser did not take as the end of USER:PASSWORD@: a character
// of the password left unencoded ('/', '?', '#', '@'), which would send requests to the wrong host
// with part of the password in the path. Such a URL is refused, with `strayAt` as the reason.
export function hasStrayAt(text: string, parsed: URL): boolean {
  return (text.match(/@/g)?.length ?? 0) !== (parsed.username || parsed.password ? 1 : 0);
}
export const strayAt =
  "has an '@' that does not end its USER:PASSWORD@ part: %-encode the " +
  "password's special characters (/ as %2F, @ as %40, ? as %3F, # as %23)";
