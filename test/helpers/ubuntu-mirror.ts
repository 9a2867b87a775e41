// Upstream as it is today (2026-12) for the live ISO, served by a fault server as a mirror: the
// guide's daily-live directory answers 404 with the web server's HTML page, and jammy's released
// images sit in their two directories, each with a SHA256SUMS listing every file there — desktop
// and live-server ISOs, other architectures, Raspberry Pi images. publishRelease(…, 6) is the
// layout after the next point release: the directory then lists 22.04.6 only. serveGuideAgain
// puts the guide's own file back, as if the daily builds returned.
import { createHash } from 'node:crypto';
import type { FaultServer } from './fault-server.js';

export const dailyLive = 'https://cdimage.ubuntu.com/jammy/daily-live/current/';
export const releasesJammy = 'https://releases.ubuntu.com/jammy/';
export const cdimageRelease = 'https://cdimage.ubuntu.com/releases/22.04/release/';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const pathOf = (dir: string, name: string) => `/${new URL(dir).host}${new URL(dir).pathname}${name}`;

export interface Served {
  name: string;
  url: string; // upstream's
  path: string; // on the mirror
  sha256: string;
}

// What a web server sends for a directory or file that is not there.
export const notFoundPage = (path: string) =>
  `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>404 Not ` +
  `Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested ` +
  `URL ${path} was not found on this server.</p>\n</body></html>\n`;

// The guide's daily-live directory today: every name in it is a 404 page.
export function dailyLiveGone(server: FaultServer): void {
  for (const name of ['SHA256SUMS', 'jammy-desktop-amd64.iso', 'jammy-desktop-arm64.iso']) {
    const path = pathOf(dailyLive, name);
    server.always(path, { status: 404, html: notFoundPage(path.replace(/^\/[^/]+/, '')) });
  }
}

// Jammy's released images at point release `point`: `bodies` are the ISOs a test downloads (the
// others are only listed). Returns what is served for each architecture.
export function publishRelease(
  server: FaultServer,
  bodies: { amd64?: Buffer; arm64?: Buffer },
  point = 5,
): { amd64: Served; arm64: Served } {
  const v = `22.04.${point}`;
  const filler = (name: string) => Buffer.from(`${name} as upstream has it\n`);
  const desktop = `ubuntu-${v}-desktop-amd64.iso`;
  const serverArm = `ubuntu-${v}-live-server-arm64.iso`;
  const releases: [string, Buffer][] = [
    [desktop, bodies.amd64 ?? filler(desktop)],
    [`ubuntu-${v}-live-server-amd64.iso`, filler('amd64 server')],
  ];
  const cdimage: [string, Buffer][] = [
    [serverArm, bodies.arm64 ?? filler(serverArm)],
    [`ubuntu-${v}-live-server-ppc64el.iso`, filler('ppc64el')],
    [`ubuntu-${v}-live-server-s390x.iso`, filler('s390x')],
    [`ubuntu-${v}-preinstalled-desktop-arm64+raspi.img.xz`, filler('raspi desktop')],
    [`ubuntu-${v}-preinstalled-server-arm64+raspi.img.xz`, filler('raspi server')],
  ];
  for (const [dir, files] of [
    [releasesJammy, releases],
    [cdimageRelease, cdimage],
  ] as const) {
    for (const [name, body] of files) server.put(pathOf(dir, name), body);
    server.put(pathOf(dir, 'SHA256SUMS'), files.map(([name, body]) => `${sha(body)} *${name}\n`).join(''));
  }
  const served = (dir: string, name: string, body: Buffer): Served => ({
    name,
    url: `${dir}${name}`,
    path: pathOf(dir, name),
    sha256: sha(body),
  });
  return {
    amd64: served(releasesJammy, desktop, releases[0]![1]),
    arm64: served(cdimageRelease, serverArm, cdimage[0]![1]),
  };
}

// The guide's own daily-live file, served again with its SHA256SUMS.
export function serveGuideAgain(server: FaultServer, arch: 'amd64' | 'arm64', body: Buffer): Served {
  const name = `jammy-desktop-${arch}.iso`;
  for (const n of ['SHA256SUMS', name]) server.always(pathOf(dailyLive, n), undefined);
  server.put(pathOf(dailyLive, name), body);
  server.put(
    pathOf(dailyLive, 'SHA256SUMS'),
    `${sha(body)} *${name}\n${sha('other')} *jammy-desktop-${arch === 'amd64' ? 'arm64' : 'amd64'}.iso\n`,
  );
  return { name, url: `${dailyLive}${name}`, path: pathOf(dailyLive, name), sha256: sha(body) };
}
