// `kubenet import FILE`: a download the learner already has, from anywhere, made kubenet's own
// without a byte transferred. Verified against SHA256SUMS — upstream's (through the mirror, if
// any); or, given with --sums or lying beside the file, a local one (offline, or when upstream
// cannot be had) — each trusted once the SHA256SUMS.gpg beside it is verified (verify/signed-sums.ts)
// — then copied into images/ under its name (a reflink where the file system can clone: no space
// used), with kubenet's record; and that copy kept in the shared cache. The user's file is read,
// never moved, modified, linked or chmod'ed: it stays theirs to resize or boot, and no project's
// image changes with it.
import { realpath, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { protectBackingFile } from '../../disk/protect-backing.js';
import { ExitCode, isKubenetError, KubenetError } from '../../errors.js';
import { sha256File } from '../../fingerprint/hash-file.js';
import { readJson } from '../../fs/json-file.js';
import { linkOrCopy, type Placed } from '../../fs/link-or-copy.js';
import { ownDir, ownFileStats } from '../../fs/no-follow.js';
import { acquireLock } from '../../lock/file-lock.js';
import type { Paths } from '../../paths.js';
import { explainingFailure, mib } from '../explain-failure.js';
import { proxyEnv } from '../http/proxy-env.js';
import { whatIsHere } from '../here-now.js';
import { removePartial, roles, saveRecord, type PartialMeta, type Validators } from '../records.js';
import { fileNameOf, shownUrl, sumsUrlOf, upstreamUrl, viaMirror } from '../source-url.js';
import { withRetries } from '../transfer/retry.js';
import { defaults } from '../types.js';
import { checkSums, type SumsCheck } from '../verify/check-upstream.js';
import { localSums } from '../verify/sha256sums.js';
import { isVerified, signatureNeed, type SignatureOptions, type SignatureRecord } from '../verify/signature-policy.js';
import { signedLocalSums, type SignatureCheck } from '../verify/signed-sums.js';
import { SharedCache } from './shared-cache.js';

export interface ImportRequest extends SignatureOptions {
  file: string; // as the user gave it
  url: string; // upstream's URL of the download it is
  paths: Paths;
  sums?: string; // --sums FILE
  offline: boolean;
  mirror?: string;
  cache?: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export interface ImportResult {
  name: string;
  path: string; // in images/
  size: number;
  sha256: string;
  placed: Placed | 'already'; // linked, copied, or the same file was there
  checkedAgainst: string; // the SHA256SUMS, as shown
  signature: SignatureRecord; // what vouched for that SHA256SUMS
}

export async function importFile(r: ImportRequest): Promise<ImportResult> {
  const upstream = upstreamUrl(r.url);
  const name = fileNameOf(upstream);
  const given = resolve(r.file);
  const log = r.log ?? (() => undefined);
  const source = await realpath(given).catch((cause: NodeJS.ErrnoException) => {
    throw new KubenetError(`${r.file}: ${cause.code === 'ENOENT' ? 'no such file' : cause.code}`, {
      code: ExitCode.usage,
      cause,
      hint: 'Give the path of an image you downloaded (kubenet list names the downloads).',
    });
  });
  const stats = await stat(source);
  if (!stats.isFile())
    throw new KubenetError(`${r.file} is not a file`, {
      code: ExitCode.usage,
      hint: 'Give the path of an image you downloaded.',
    });

  const signing: SignatureCheck = { need: signatureNeed(upstream, r), file: name, log };
  const { sha256: expected, from, validators, signature } = await expectedDigest(r, name, upstream, given, signing);
  log(`${name}: checking ${given} (${mib(stats.size)}) against ${from}`);
  const digest = await sha256File(source);
  if (digest !== expected) throw await mismatch(r, name, given, from, expected, digest);

  const { paths } = r;
  const lockPath = paths.lock(`download-${name}`);
  await ownDir(paths.root, dirname(lockPath));
  const lock = await acquireLock(lockPath, { what: `importing ${name}`, wait: true, signal: r.signal, log });
  try {
    const final = paths.artifact(name);
    const here = await ownFileStats(final, roles.final);
    const found = await whatIsHere(paths, name, { ...(r.cache ? { cacheRoot: r.cache } : {}), log });
    const record = found.record;
    // Already verified here, or the very file given (it stays theirs): nothing to place. Else a
    // copy of it goes in by a rename — a reflink where the file system can clone, never a link.
    const theirs = here !== undefined && here.ino === stats.ino && here.dev === stats.dev;
    let placed: ImportResult['placed'] = 'already';
    if (record?.sha256 !== digest && !theirs) {
      await protectBackingFile(
        paths,
        final,
        {
          ...(record
            ? { sha256: record.sha256 }
            : found.changed
              ? { sha256: found.changed.now, madeOn: found.changed.was }
              : {}),
          replacement: digest,
        },
        log,
      );
      placed = await linkOrCopy(source, final, { replace: true, copy: true });
    }
    const partial = readJson<PartialMeta>(paths.partialMeta(name), { own: roles.partialMeta });
    if (partial?.sha256 === digest) await removePartial(paths.partial(name), paths.partialMeta(name)); // no use now
    const adopted = theirs && record?.sha256 !== digest;
    const facts = {
      url: upstream.href,
      sha256: digest,
      sums: validators,
      vouchedBy: { sums: from, at: Date.now() },
      signature,
      ...(adopted ? { adopted } : {}),
    };
    // A record of this very file stays, unless this check vouches more than the one it holds.
    const keepRecord = record?.sha256 === digest && (isVerified(record.signature) || !isVerified(signature));
    let saved = keepRecord ? record : await saveRecord(final, paths.downloadRecord(name), facts);
    if (r.cache) {
      const cache = new SharedCache(r.cache, log);
      const kept = await cache
        .keep(final, {
          sha256: digest,
          name,
          url: upstream.href,
          signature,
          voucher: from,
          theirs: saved.adopted === true,
        })
        .catch(
          (error: Error) =>
            void log(`shared cache ${r.cache}: could not keep it (${error.message}); going on without it`),
        );
      if (kept === 'linked')
        saved = await saveRecord(final, paths.downloadRecord(name), {
          ...facts,
          ...(keepRecord ? { signature: saved.signature, adopted: saved.adopted } : {}),
        }); // the link changed its ctime
    }
    return { name, path: final, size: saved.size, sha256: digest, placed, checkedAgainst: from, signature };
  } finally {
    await lock.release();
  }
}

// What the file must hash to: --sums FILE; offline, the SHA256SUMS beside it; else upstream's —
// and when upstream cannot be had (unreachable, or it no longer lists the file) and a SHA256SUMS
// beside the file lists it, that one, said in one line. Upstream then gets one short try.
type Expected = { sha256: string; from: string; validators: Validators; signature: SignatureRecord };
async function expectedDigest(
  r: ImportRequest,
  name: string,
  upstream: URL,
  given: string,
  signing: SignatureCheck,
): Promise<Expected> {
  const local = r.sums
    ? await signedLocalSums(resolve(r.sums), name, {}, signing)
    : r.offline
      ? await signedLocalSums(dirname(given), name, { folder: true }, signing)
      : undefined;
  if (local?.sha256) return { sha256: local.sha256, from: local.from, validators: {}, signature: local.signature! };
  if (local)
    throw new KubenetError(`${local.from} lists no digest for ${name}`, {
      code: ExitCode.usage,
      hint: `Give the SHA256SUMS published beside ${name} (--sums FILE).`,
    });
  if (r.offline) {
    throw new KubenetError(`--offline: nothing to check ${r.file} against: no SHA256SUMS beside it`, {
      code: ExitCode.offline,
      hint:
        `Put upstream's SHA256SUMS for it beside the file (${resolve(dirname(given), 'SHA256SUMS')}), ` +
        `give it with --sums FILE, or run online to check against upstream's.`,
    });
  }
  const beside = await localSums(dirname(given), name, { folder: true }).catch(() => undefined);
  const sumsUrl = viaMirror(sumsUrlOf(upstream), r.mirror);
  const request = {
    headMs: defaults.headMs,
    stallMs: defaults.stallMs,
    minBytesPerSecond: defaults.minBytesPerSecond,
    proxies: proxyEnv(r.env ?? process.env),
  };
  const short = beside?.sha256 !== undefined;
  const retry = {
    retries: short ? 0 : defaults.retries,
    backoffMs: defaults.backoffMs,
    maxAttempts: defaults.maxAttempts,
    maxMs: short ? defaults.checkMs : defaults.maxMs,
    signal: r.signal,
    log: r.log,
    what: 'SHA256SUMS',
  };
  let sums: SumsCheck;
  try {
    sums = await explainingFailure({ url: sumsUrl, file: name, mirror: r.mirror, signal: r.signal }, () =>
      withRetries((signal) => checkSums(sumsUrl, name, undefined, { ...request, signal, signature: signing }), retry),
    );
  } catch (error) {
    if (!beside?.sha256 || !isKubenetError(error) || error.code !== ExitCode.download) throw error;
    // its signature, when one is beside it
    const vouched = (await signedLocalSums(dirname(given), name, { folder: true }, signing))!;
    r.log?.(
      `${name}: upstream's SHA256SUMS could not be had (${error.message}); ` +
        `the SHA256SUMS beside the file vouched for it: ${vouched.from}`,
    );
    return { sha256: vouched.sha256!, from: vouched.from, validators: {}, signature: vouched.signature! };
  }
  if (sums.notModified) throw new Error('unreachable: an unconditional request answered 304');
  return { sha256: sums.sha256, from: shownUrl(sumsUrl), validators: sums.validators, signature: sums.signature };
}

async function mismatch(
  r: ImportRequest,
  name: string,
  given: string,
  from: string,
  expected: string,
  digest: string,
): Promise<KubenetError> {
  const beside =
    !r.sums && !r.offline ? await localSums(dirname(given), name, { folder: true }).catch(() => undefined) : undefined;
  const older = beside?.sha256 === digest;
  return new KubenetError(`${r.file} does not match ${from}: expected ${expected}, got ${digest}`, {
    code: ExitCode.digest,
    hint: older
      ? `It matches the SHA256SUMS beside it (${beside!.from}): an older build than ` +
        `upstream's current one. \`kubenet import --offline ${r.file}\` takes it as it ` +
        `is; \`kubenet prefetch\` downloads the current one. Your file was not changed.`
      : `Your file was not changed and nothing was put in images/. Is it a complete ` +
        `download of this very build (a cut download resumes with wget -c)?`,
  });
}
