// The user's choices, checked and typed once (execa's normalizeOptions is the model): everything
// downstream reads Settings and never re-checks a raw option.
import { isAbsolute, resolve } from 'node:path';
import { ExitCode, KubenetError } from '../errors.js';
import type { ClusterConfig } from '../cluster/topology.js';
import { defaultCacheDir } from '../paths.js';
import type { Accel, GuestArch, NetMode } from '../host/types.js';
import { isUrl, layeredSettings, type RawSettings, type SettingKey } from './config-file.js';
import { shownUrl } from '../download/source-url.js';
import { normalizeMirror } from './mirror.js';
import { checkedCpus, checkedSize, sizeRanges } from './ranges.js';
import { checkUserData } from './user-data.js';

export interface Settings {
  images: string; // absolute: --images, KUBENET_IMAGES, ./images
  arch?: GuestArch; // default: the host's
  accel?: Accel; // default: probed
  firmware?: string; // absolute
  mirror?: string; // a checked http(s) base URL
  offline: boolean;
  cache?: string; // absolute: the shared download cache; none when it is off
  requireSignature?: boolean; // true: a download checked by digest only (no signature to verify) is an error
  trustedKeys?: string; // absolute: OpenPGP public keys trusted instead of Ubuntu's, which kubenet ships
  net?: NetMode;
  memory?: string;
  smp?: number;
  diskSize?: string;
  userData?: string; // absolute
  tasks?: string; // absolute: a folder of the user's own task files
  liveIso?: string; // --live-iso: an absolute path, or an https URL
  cluster?: ClusterConfig; // kubenet.yaml's cluster: (checked when it was read)
  yes?: boolean; // --yes: consent, given up front, to the commands a run must run as root
  verbose: boolean;
  sources: Partial<Record<SettingKey, string>>; // where each setting came from (--accel, KUBENET_ACCEL, kubenet.yaml)
}

const usage = (message: string, hint?: string) => new KubenetError(message, { code: ExitCode.usage, ...(hint ? { hint } : {}) });

// The command line's values layered over the environment and kubenet.yaml, checked — the
// --user-data file included — before any command does any work.
export async function loadSettings(cli: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<Settings> {
  const { values, sources } = await layeredSettings(cli, env, cwd);
  values.cache ??= defaultCacheDir(env); // on unless turned off: --no-cache, KUBENET_CACHE=off, cache: off
  const settings = normalizeSettings({ ...values, verbose: cli.verbose === true, yes: cli.yes === true }, cwd, sources);
  if (settings.userData) await checkUserData(settings.userData, `${sources['user-data'] === '--user-data' ? '--user-data' : `user-data (${sources['user-data']})`} ${values['user-data']}`);
  return settings;
}

export function normalizeSettings(raw: RawSettings, cwd = process.cwd(), sources: Settings['sources'] = {}): Settings {
  const path = (value: string | undefined) => (value === undefined ? undefined : isAbsolute(value) ? value : resolve(cwd, value));
  // How an error names the setting: --accel, KUBENET_ACCEL, or "accel: in FILE".
  const from = (key: SettingKey) => {
    const source = sources[key] ?? `--${key}`;
    return source.startsWith('-') || source.startsWith('KUBENET_') ? source : `${key}: in ${source},`;
  };
  const mirror = raw.mirror;
  return {
    images: path(raw.images ?? 'images')!,
    ...defined('arch', oneOf(from('arch'), raw.arch, ['aarch64', 'x86_64'] as const)),
    ...defined('accel', oneOf(from('accel'), raw.accel, ['hvf', 'kvm', 'tcg'] as const)),
    ...defined('firmware', path(raw.firmware)),
    ...defined('mirror', mirror === undefined ? undefined : normalizeMirror(mirror, from('mirror'), cwd)),
    offline: raw.offline ?? false,
    ...defined('cache', raw.cache === 'off' ? undefined : path(raw.cache)),
    ...(raw['require-signature'] ? { requireSignature: true } : {}),
    ...defined('trustedKeys', path(raw['trusted-keys'])),
    ...defined('net', oneOf(from('net'), raw.net, ['user', 'vmnet-shared', 'vmnet-bridged', 'none'] as const)),
    ...defined('memory', raw.memory === undefined ? undefined : checkedSize(from('memory'), raw.memory, sizeRanges.memory, '2G')),
    ...defined('smp', raw.smp === undefined ? undefined : checkedCpus(from('smp'), positiveInt(from('smp'), raw.smp)!)),
    ...defined('diskSize', raw['disk-size'] === undefined ? undefined : checkedSize(from('disk-size'), raw['disk-size'], sizeRanges.disk, '128G')),
    ...defined('userData', path(raw['user-data'])),
    ...defined('tasks', path(raw.tasks)),
    ...defined('liveIso', liveIso(from('live-iso'), raw['live-iso'], path)),
    ...defined('cluster', raw.cluster),
    ...(raw.yes ? { yes: true } : {}),
    verbose: raw.verbose ?? false,
    sources,
  };
}

// A file (made absolute) or an https URL with a file name: what a download is verified against
// is the SHA256SUMS beside it (lib/download), so plain http is refused here as it is there.
function liveIso(flag: string, value: string | undefined, path: (v: string | undefined) => string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!isUrl(value)) return path(value);
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    throw new KubenetError(`${flag} ${shownUrl(value)} is not a URL`, { code: ExitCode.usage, cause, hint: 'Give a file (an ISO you have) or an https URL of one, with a SHA256SUMS beside it.' });
  }
  if (url.protocol !== 'https:' || url.pathname.endsWith('/')) {
    throw usage(`${flag} ${shownUrl(value)} is not an https URL of a file`, 'Give a file you have, or an https URL of an ISO with a SHA256SUMS beside it (to use a plain-http server, name it with --mirror).');
  }
  return url.href;
}

const defined = <K extends string, V>(key: K, value: V | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, V>));

export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw usage(`${flag} ${value} is not one of: ${allowed.join(', ')}`);
}

export function positiveInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n <= 0) throw usage(`${flag} ${value} is not a positive whole number`);
  return n;
}

// A number of seconds that may be 0 (--wait 0: do not wait).
export function positiveOrZero(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(value)) throw usage(`${flag} ${JSON.stringify(value)} is not a number of seconds`);
  return Number(value);
}

