// A temp images/ folder and a fault server publishing one artifact, cleaned up by `dispose`.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makePaths, type Paths } from '../../lib/paths.js';
import { publish, startFaultServer, type FaultServer } from './fault-server.js';

export const upstreamDir = 'https://cloud-images.example.test/jammy/current/';
export const fileName = 'jammy-server-cloudimg-arm64.img';

export interface DownloadFixture {
  dir: string;
  paths: Paths;
  server: FaultServer;
  body: Buffer;
  url: string; // upstream https URL
  sha256: string;
  path: string; // the file's path on the server
  options: {
    paths: Paths;
    mirror: string;
    stallMs: number;
    retries: number;
    backoffMs: number;
    lockPollMs: number;
    log: (line: string) => void;
  };
  logs: string[];
  dispose(): Promise<void>;
}

export async function downloadFixture(size = 3 << 20): Promise<DownloadFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'kubenet-dl-'));
  const paths = makePaths(join(dir, 'images'));
  const server = await startFaultServer();
  const body = randomBytes(size);
  const { url, sha256, path } = publish(server, upstreamDir, fileName, body);
  const logs: string[] = [];
  return {
    dir,
    paths,
    server,
    body,
    url,
    sha256,
    path,
    logs,
    options: {
      paths,
      mirror: server.url,
      stallMs: 2_000,
      retries: 3,
      backoffMs: 10,
      lockPollMs: 50,
      log: (line) => logs.push(line),
    },
    async dispose() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
