// The user's choices, checked and typed once (execa's normalizeOptions is the model): each
// setting's text goes through its kind (setting-kinds.ts) wherever it was given, and everything
// downstream reads Settings and never re-checks a raw option.
import { dirname } from 'node:path';
import type { ClusterConfig } from './topology.js';
import type { Accel, GuestArch, NetMode } from '../host/types.js';
import type { At } from '../kinds/kind.js';
import { defaultCacheDir } from '../paths.js';
import { layeredSettings, type RawSettings, type SettingKey } from './config-file.js';
import { settingKeys, settingKinds, type SettingValues } from './setting-kinds.js';
import { checkUserData } from './user-data.js';

export interface Settings {
  images: string; // absolute: --images, KUBENET_IMAGES, ./images
  arch?: GuestArch; // default: the host's
  accel?: Accel; // default: probed
  firmware?: string; // absolute
  mirror?: string; // a checked base URL: http(s)://…/, or file:///DIR/ for a folder
  offline: boolean;
  cache?: string; // absolute: the shared download cache; none when it is off
  requireSignature?: boolean; // true: a download checked by digest only (no signature to verify) is an error
  trustedKeys?: string; // absolute: OpenPGP public keys trusted instead of Ubuntu's, which kubenet ships
  net?: NetMode;
  memory?: string; // a size as QEMU's -m takes it, in range
  smp?: number;
  diskSize?: string; // a size as qemu-img takes it, in range
  userData?: string; // absolute
  tasks?: string; // absolute: a folder of the user's own task files
  liveIso?: string; // --live-iso: an absolute path, or an https URL
  cluster?: ClusterConfig; // kubenet.yaml's cluster: (checked when it was read)
  yes?: boolean; // --yes: consent, given up front, to the commands a run must run as root
  verbose: boolean;
  sources: Partial<Record<SettingKey, string>>; // where each setting came from (--accel, KUBENET_ACCEL, kubenet.yaml)
}

// The command line's values layered over the environment and kubenet.yaml, checked — the
// --user-data file included — before any command does any work.
export async function loadSettings(
  cli: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): Promise<Settings> {
  const { values, sources } = await layeredSettings(cli, env, cwd);
  values.cache ??= defaultCacheDir(env); // on unless turned off: --no-cache, KUBENET_CACHE=off, cache: off
  const settings = normalizeSettings({ ...values, verbose: cli.verbose === true, yes: cli.yes === true }, cwd, sources);
  const source = sources['user-data'];
  if (settings.userData && source) {
    // As given; from the file, as resolved against the file's folder.
    const shown = inFile(source) ? settings.userData : String(values['user-data']);
    const named = source === '--user-data' ? '--user-data' : `user-data (${source})`;
    await checkUserData(settings.userData, `${named} ${shown}`);
  }
  return settings;
}

// Each setting's winning text through its kind, named as the user gave it.
export function normalizeSettings(raw: RawSettings, cwd = process.cwd(), sources: Settings['sources'] = {}): Settings {
  const typed: SettingValues = {};
  for (const key of settingKeys) {
    const value = raw[key];
    if (value === undefined) continue;
    // A flag on the command line, true/false in the file: on/off already.
    const parsed = typeof value === 'boolean' ? value : settingKinds[key].parse(value, atOf(key, sources, cwd));
    (typed as Record<string, unknown>)[key] = parsed;
  }
  return {
    images: typed.images ?? settingKinds.images.parse('images', { name: '--images', base: cwd }),
    ...defined('arch', typed.arch),
    ...defined('accel', typed.accel),
    ...defined('firmware', typed.firmware),
    ...defined('mirror', typed.mirror),
    offline: typed.offline ?? false,
    ...defined('cache', typed.cache === 'off' ? undefined : typed.cache),
    ...(typed['require-signature'] ? { requireSignature: true } : {}),
    ...defined('trustedKeys', typed['trusted-keys']),
    ...defined('net', typed.net),
    ...defined('memory', typed.memory),
    ...defined('smp', typed.smp),
    ...defined('diskSize', typed['disk-size']),
    ...defined('userData', typed['user-data']),
    ...defined('tasks', typed.tasks),
    ...defined('liveIso', typed['live-iso']),
    ...defined('cluster', raw.cluster),
    ...(raw.yes ? { yes: true } : {}),
    verbose: raw.verbose ?? false,
    sources,
  };
}

// How an error names a setting — --accel, KUBENET_ACCEL, or "accel: in FILE," — and the folder a
// relative path in it is relative to: the file's for the file, else the working folder.
function atOf(key: SettingKey, sources: Settings['sources'], cwd: string): At {
  const source = sources[key] ?? `--${key}`;
  return inFile(source) ? { name: `${key}: in ${source},`, base: dirname(source) } : { name: source, base: cwd };
}

// A source that is neither an option (--accel, --no-cache) nor a variable is the file's path.
const inFile = (source: string): boolean => !source.startsWith('-') && !source.startsWith('KUBENET_');

const defined = <K extends string, V>(key: K, value: V | undefined) =>
  value === undefined ? {} : ({ [key]: value } as Record<K, V>);
