// Where an artifact and its SHA256SUMS come from, upstream or through a mirror laid out as `wget -x` does.
import { posix } from 'node:path';
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

// https://HOST/PATH → BASE/HOST/PATH; without a mirror the URL itself. A query or fragment on
// the base would swallow HOST/PATH, so it is refused rather than silently dropped.
export function viaMirror(url: URL, mirror?: string): URL {
  if (mirror === undefined || mirror === '') return url;
  let base: URL;
  try {
    base = new URL(mirror);
  } catch (cause) {
    throw new KubenetError(`bad mirror: ${shownUrl(mirror)}`, { code: ExitCode.usage, cause, hint: 'Give --mirror (or KUBENET_MIRROR) as http(s)://HOST[/PATH].' });
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') {
    throw usage(`bad mirror: ${shownUrl(mirror)}`, 'A mirror is an http:// or https:// base URL.');
  }
  if (base.search || base.hash || mirror.includes('?') || mirror.includes('#')) {
    throw usage(`the mirror ${shownUrl(mirror)} has a ?query or #fragment: kubenet appends HOST/PATH to the mirror's path`,
      'Give the mirror as http(s)://HOST[/PATH] without ? or #; for a mirror that needs a password, use http(s)://USER:PASSWORD@HOST/.');
  }
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  return new URL(`${url.host}${url.pathname}`, base);
}

// A URL as kubenet shows it: the password of a mirror (http://user:pass@host/) never reaches a
// message, a notice or a log.
export function shownUrl(url: URL | string): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    return String(url).replace(/\/\/([^/@:]*):[^/@]*@/, '//$1:***@');
  }
  if (parsed.password) parsed.password = '***';
  return parsed.href;
}
