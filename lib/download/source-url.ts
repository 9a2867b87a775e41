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

// A mirror's base URL, checked — the one place a mirror is validated (settings normalise --mirror,
// KUBENET_MIRROR and kubenet.yaml with it). A query or fragment would swallow HOST/PATH, so it is
// refused rather than silently dropped; the base always ends in a slash.
export function mirrorBase(mirror: string, from = 'the mirror'): URL {
  let base: URL;
  try {
    base = new URL(mirror);
  } catch (cause) {
    throw new KubenetError(`${from} ${shownUrl(mirror)} is not a URL`, { code: ExitCode.usage, cause, hint: 'Give the mirror as http(s)://HOST[/PATH], e.g. --mirror https://mirror.example/kubenet/.' });
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') {
    throw usage(`${from} ${shownUrl(mirror)} is not an http(s) URL`, 'A mirror is an http:// or https:// base URL laid out as BASE/HOST/PATH.');
  }
  if (base.search || base.hash || mirror.includes('?') || mirror.includes('#')) {
    throw usage(`${from} ${shownUrl(mirror)} has a ?query or #fragment: kubenet appends HOST/PATH to the mirror's path`,
      'Give the mirror as http(s)://HOST[/PATH] without ? or #; for a mirror that needs a password, use http(s)://USER:PASSWORD@HOST/.');
  }
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  return base;
}

// https://HOST/PATH → BASE/HOST/PATH; without a mirror the URL itself.
export function viaMirror(url: URL, mirror?: string): URL {
  if (mirror === undefined || mirror === '') return url;
  return new URL(`${url.host}${url.pathname}`, mirrorBase(mirror));
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
