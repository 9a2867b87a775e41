// Downloads from nginx on loopback (issue 3's targets), each against a baseline from this run:
//   throughput of a verified 1 GiB download vs `curl -o`   (target ≥ 0.85×), peak RSS (≤ 100 MB),
//   the same through a proxy (tinyproxy on loopback) vs `curl -o` through it (issue 12),
//   prefetch of two 512 MiB files vs the larger alone        (target ≤ 1.2×),
//   bytes re-transferred after kill -9 at ~50 %              (target ≤ 55 % of the file),
//   a second images/ folder through the shared cache vs the first, cold (issue 12: 0 body bytes).
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makePaths } from '../lib/paths.js';
import { nginxBinary, startNginx, type Nginx } from '../test/helpers/nginx.js';
import { hasTinyproxy, startTinyproxy, type Tinyproxy } from '../test/helpers/tinyproxy.js';
import { median } from './measure.js';

const child = fileURLToPath(new URL('./download-child.js', import.meta.url));
const host = 'bench.example.test';
const dirPath = '/jammy/current/';
const upstream = (name: string) => `https://${host}${dirPath}${name}`;
const MiB = 1 << 20;
const rounds = 5; // the machine may be shared: medians of alternating rounds, with the spread shown

export async function benchDownload(): Promise<void> {
  if (!existsSync(nginxBinary) || spawnSync('curl', ['--version']).status !== 0) {
    console.log('skipped: needs nginx (apt-get install nginx-light) and curl');
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'kubenet-bench-dl-'));
  let nginx: Nginx | undefined;
  let proxy: Tinyproxy | undefined;
  try {
    const served = join(dir, 'www', host, dirPath);
    await mkdir(served, { recursive: true });
    const sums = [
      `${await writeRandom(join(served, 'big.bin'), 1024 * MiB)} *big.bin`,
      `${await writeRandom(join(served, 'a.bin'), 512 * MiB)} *a.bin`,
      `${await writeRandom(join(served, 'b.bin'), 512 * MiB)} *b.bin`,
    ];
    await writeFile(join(served, 'SHA256SUMS'), `${sums.join('\n')}\n`);
    nginx = await startNginx(join(dir, 'www'));
    const mirror = nginx.url;
    let n = 0;
    const fresh = () => join(dir, `images-${n++}`);
    // Both contenders see the same proxy variables: none, or http_proxy naming `via`.
    const proxyVars = [
      'http_proxy',
      'HTTP_PROXY',
      'https_proxy',
      'HTTPS_PROXY',
      'all_proxy',
      'ALL_PROXY',
      'no_proxy',
      'NO_PROXY',
    ];
    const envVia = (via?: string) => ({
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !proxyVars.includes(k))),
      ...(via ? { http_proxy: via } : {}),
    });
    // `keep`: leave the images/ folder for the caller to remove (a shared-cache entry it links stays linked).
    const kubenet = (names: string | string[], via?: string, cache?: string, keep = false) => {
      const root = fresh();
      const r = spawnSync(process.execPath, [child, root, mirror, ...[names].flat().map(upstream)], {
        encoding: 'utf8',
        env: { ...envVia(via), ...(cache ? { BENCH_CACHE: cache } : {}) },
      });
      if (r.status !== 0) throw new Error(`kubenet download failed: ${r.stderr}`);
      if (!keep) spawnSync('rm', ['-rf', root]);
      return {
        ...(JSON.parse(r.stdout) as { ms: number; maxRssMB: number; transferred: number; statuses: string[] }),
        root,
      };
    };
    const curl = (name: string, via?: string, sure = false) => {
      const out = join(dir, 'curl.out');
      const start = performance.now();
      const r = spawnSync('curl', ['-sS', '-f', '-o', out, `${mirror}${host}${dirPath}${name}`], { env: envVia(via) });
      if (r.status !== 0) throw new Error(`curl failed: ${r.stderr}`);
      if (sure) {
        for (const argv of [
          ['openssl', 'dgst', '-sha256', out],
          ['sync', out],
        ]) {
          if (spawnSync(argv[0]!, argv.slice(1), { stdio: 'ignore' }).status !== 0)
            throw new Error(`${argv.join(' ')} failed`);
        }
      }
      const ms = performance.now() - start;
      spawnSync('rm', ['-f', out]);
      return ms;
    };

    // 1. Throughput and memory, interleaved so machine noise hits both alike. Two baselines: curl
    // alone, and curl followed by what kubenet also does before it calls a file done — its SHA-256
    // (openssl, the fastest hasher here) and an fsync of the file (`sync FILE`).
    const curlMs: number[] = [];
    const curlSureMs: number[] = [];
    const ours: { ms: number; maxRssMB: number }[] = [];
    for (let i = 0; i < rounds; i++) {
      curlMs.push(curl('big.bin'));
      curlSureMs.push(curl('big.bin', undefined, true));
      ours.push(kubenet(['big.bin']));
    }
    const c = median(curlMs);
    const cs = median(curlSureMs);
    const k = median(ours.map((o) => o.ms));
    const rate = (ms: number) => `${((1024 / ms) * 1000).toFixed(0)} MiB/s`;
    const spread = (xs: number[]) => `${(Math.min(...xs) / 1000).toFixed(1)}–${(Math.max(...xs) / 1000).toFixed(1)} s`;
    console.log(
      `throughput, 1 GiB verified: kubenet ${k.toFixed(0)} ms (${rate(k)}) vs curl -o ` +
        `${c.toFixed(0)} ms (${rate(c)}) → ${(c / k).toFixed(2)}× curl (target ≥ 0.85×; ` +
        `median of ${rounds}; kubenet includes SHA-256 and fsync, curl does neither)`,
    );
    console.log(
      `  vs curl -o, then openssl sha256 and sync of the file (the ` +
        `same work by hand) ${cs.toFixed(0)} ms → ${(cs / k).toFixed(2)}×`,
    );
    console.log(
      `  spread: kubenet ${spread(ours.map((o) => o.ms))}, curl ` +
        `${spread(curlMs)}, curl + sha256 + sync ${spread(curlSureMs)}`,
    );
    console.log(
      `peak RSS of the kubenet download: ${Math.max(...ours.map((o) => o.maxRssMB)).toFixed(0)} MB (target ≤ 100 MB)`,
    );

    // 1b. The same through a real proxy on loopback, each contender told of it by http_proxy.
    if (hasTinyproxy) {
      proxy = await startTinyproxy();
      const curlVia: number[] = [];
      const oursVia: number[] = [];
      for (let i = 0; i < rounds; i++) {
        curlVia.push(curl('big.bin', proxy.url));
        oursVia.push(kubenet(['big.bin'], proxy.url).ms);
      }
      const cv = median(curlVia);
      const kv = median(oursVia);
      console.log(
        `through tinyproxy, 1 GiB verified: kubenet ${kv.toFixed(0)} ms (${rate(kv)}) vs curl -o through ` +
          `it ${cv.toFixed(0)} ms (${rate(cv)}) → ${(cv / kv).toFixed(2)}× curl (median of ${rounds})`,
      );
      console.log(`  spread: kubenet ${spread(oursVia)}, curl ${spread(curlVia)}`);
    } else {
      console.log('through a proxy: skipped (apt-get install tinyproxy)');
    }

    // 2. prefetch of two 512 MiB files in parallel vs one alone.
    const alone: number[] = [];
    const both: { ms: number; maxRssMB: number }[] = [];
    for (let i = 0; i < rounds; i++) {
      alone.push(kubenet(['a.bin']).ms);
      both.push(kubenet(['a.bin', 'b.bin']));
    }
    const a = median(alone);
    const b = median(both.map((o) => o.ms));
    console.log(
      `prefetch of two 512 MiB files: ${b.toFixed(0)} ms vs ${a.toFixed(0)} ms for one alone → ` +
        `${(b / a).toFixed(2)}× (target ≤ 1.2×; peak RSS ` +
        `${Math.max(...both.map((o) => o.maxRssMB)).toFixed(0)} MB)`,
    );

    // 3. kill -9 at ~50 %, then resume: bytes nginx sends the second time.
    const root = fresh();
    const partial = makePaths(root).partial('big.bin');
    const bigRequests = async () => (await nginx!.sent()).filter((e) => e.path.endsWith('big.bin')).length;
    const loggedBefore = await bigRequests();
    const proc = spawn(process.execPath, [child, root, mirror, upstream('big.bin')], {
      stdio: 'ignore',
      env: envVia(),
    });
    try {
      while (!existsSync(partial) || statSync(partial).size < 512 * MiB) {
        if (proc.exitCode !== null) throw new Error('the download finished before it could be killed');
        await new Promise((r) => setTimeout(r, 5));
      }
    } finally {
      proc.kill('SIGKILL');
    }
    await new Promise((r) => proc.once('close', r));
    const killedAt = statSync(partial).size;
    // nginx logs the killed request when it notices the closed connection: count it before, not after.
    const giveUpAt = performance.now() + 10_000;
    while ((await bigRequests()) === loggedBefore && performance.now() < giveUpAt)
      await new Promise((r) => setTimeout(r, 20));
    const before = (await nginx.sent()).length;
    const r = spawnSync(process.execPath, [child, root, mirror, upstream('big.bin')], {
      encoding: 'utf8',
      env: envVia(),
    });
    if (r.status !== 0) throw new Error(`resume failed: ${r.stderr}`);
    const resent = (await nginx.sent())
      .slice(before)
      .filter((e) => e.path.endsWith('big.bin'))
      .reduce((s, e) => s + e.bytes, 0);
    const { statuses } = JSON.parse(r.stdout) as { statuses: string[] };
    console.log(
      `resume after kill -9 at ${((100 * killedAt) / (1024 * MiB)).toFixed(0)} %: re-transferred ` +
        `${((100 * resent) / (1024 * MiB)).toFixed(1)} % of the file (${statuses[0]}; target ≤ 55 %)`,
    );

    // 4. The shared cache: a first images/ folder fills it (cold), a second one links from it.
    const cache = join(dir, 'shared-cache');
    const bodyBytes = async (from: number) => (await nginx!.sent()).slice(from).reduce((s, e) => s + e.bytes, 0);
    const logged = async () => (await nginx!.sent()).length;
    const settle = () => new Promise((r) => setTimeout(r, 300)); // nginx writes a request's log line as it ends
    let at = await logged();
    const cold = kubenet(['big.bin'], undefined, cache, true);
    await settle();
    const coldBytes = await bodyBytes(at);
    at = await logged();
    const warm = kubenet(['big.bin'], undefined, cache);
    await settle();
    const warmBytes = await bodyBytes(at);
    console.log(
      `second images/ folder through the shared cache: ${warmBytes} body bytes from the server ` +
        `in ${warm.ms.toFixed(0)} ms (${warm.statuses[0]}) vs the first folder, cold: ${coldBytes} ` +
        `bytes in ${cold.ms.toFixed(0)} ms → ${(warm.ms / cold.ms).toFixed(3)}× the time`,
    );
    // A name removed outside kubenet (rm -rf of a folder) moves the entry's ctime: it is hashed once again.
    spawnSync('rm', ['-rf', cold.root]);
    const after = kubenet(['big.bin'], undefined, cache);
    console.log(
      `  after the first folder was removed by hand: ${after.ms.toFixed(0)} ms (${after.statuses[0]}; the ` +
        `entry hashed once again, its ctime having moved) → ${(after.ms / cold.ms).toFixed(3)}× the cold time`,
    );
  } finally {
    await proxy?.stop();
    await nginx?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

// A file of `size` bytes (a random 16 MiB block repeated: random enough for a transfer), and its SHA-256.
async function writeRandom(path: string, size: number): Promise<string> {
  const block = randomBytes(16 * MiB);
  const hash = createHash('sha256');
  const file = await open(path, 'w');
  try {
    for (let at = 0; at < size; at += block.length) {
      const part = block.subarray(0, Math.min(block.length, size - at));
      await file.write(part);
      hash.update(part);
    }
  } finally {
    await file.close();
  }
  return hash.digest('hex');
}

if (import.meta.url === `file://${process.argv[1]}`) await benchDownload();
