// Settings that stick: kubenet.yaml in the working folder (or KUBENET_CONFIG) and KUBENET_*
// variables, so a host that needs --accel tcg, a mirror or --arch says it once, and list, guide,
// --dry-run and explain all judge what the next run would do. The command line wins over the
// environment, which wins over the file.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ExitCode, KubenetError } from '../errors.js';
import { suggestions } from '../suggestions.js';
import { clusterConfigOf, type ClusterConfig } from '../cluster/topology.js';
import { readSmallFile } from '../fs/read-small-file.js';
import { parseYaml } from './parse-yaml.js';
import { checkedSwitch } from './ranges.js';

// Keys a config file and the environment may set, as the command line spells them.
export const settingKeys = ['images', 'arch', 'accel', 'firmware', 'mirror', 'offline', 'cache', 'require-signature', 'trusted-keys', 'net', 'memory', 'smp', 'disk-size', 'user-data', 'tasks', 'live-iso'] as const;
// Only the file says these: a mapping has no command-line spelling.
export const fileOnlyKeys = ['cluster'] as const;
export type SettingKey = (typeof settingKeys)[number] | (typeof fileOnlyKeys)[number];
const pathKeys = new Set<SettingKey>(['images', 'firmware', 'user-data', 'tasks', 'cache', 'trusted-keys']);
// Settings that are on or off: 1/true/yes in the environment, true/false in the file.
const booleanKeys = new Set<SettingKey>(['offline', 'require-signature']);

// The settings as given — command line, environment, file — before settings.ts checks them.
export interface RawSettings {
  images?: string;
  arch?: string;
  accel?: string;
  firmware?: string;
  mirror?: string;
  offline?: boolean;
  cache?: string; // a folder, or 'off'
  'require-signature'?: boolean;
  'trusted-keys'?: string;
  net?: string;
  memory?: string;
  smp?: string;
  'disk-size'?: string;
  'user-data'?: string;
  tasks?: string;
  'live-iso'?: string; // a file, or an https URL
  cluster?: ClusterConfig;
  yes?: boolean;
  verbose?: boolean;
}

export type Source = 'command line' | 'environment' | 'config file' | 'default';

export interface Layered {
  values: RawSettings;
  sources: Partial<Record<SettingKey, string>>; // "--accel", "KUBENET_ACCEL", "kubenet.yaml"
}

// A value with a scheme (https://…) names a URL, not a file.
export const isUrl = (value: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(value);

export const envName = (key: SettingKey) => `KUBENET_${key.toUpperCase().replaceAll('-', '_')}`;

export async function layeredSettings(cli: Record<string, unknown>, env: NodeJS.ProcessEnv, cwd: string): Promise<Layered> {
  const values: Record<string, unknown> = {};
  const sources: Partial<Record<SettingKey, string>> = {};
  const file = env.KUBENET_CONFIG ? resolve(cwd, env.KUBENET_CONFIG) : resolve(cwd, 'kubenet.yaml');
  if (existsSync(file)) {
    for (const [key, value] of Object.entries(await readConfig(file, env.KUBENET_CONFIG ? `KUBENET_CONFIG=${env.KUBENET_CONFIG}` : file))) {
      values[key] = isRelativePath(key as SettingKey, value) ? resolve(dirname(file), value as string) : value;
      sources[key as SettingKey] = file;
    }
  } else if (env.KUBENET_CONFIG) {
    throw new KubenetError(`KUBENET_CONFIG=${env.KUBENET_CONFIG}: no such file`, { code: ExitCode.usage, hint: 'unset it, or point it at a kubenet.yaml' });
  }
  for (const key of settingKeys) {
    const value = env[envName(key)];
    if (value === undefined || value === '') continue;
    values[key] = booleanKeys.has(key) ? checkedSwitch(envName(key), value) : value;
    sources[key] = envName(key);
  }
  for (const key of settingKeys) {
    if (cli[key] === undefined) continue;
    values[key] = cli[key];
    sources[key] = `--${key}`;
  }
  if (cli['no-cache'] === true) {
    if (cli.cache !== undefined) throw new KubenetError('--cache DIR and --no-cache contradict each other', { code: ExitCode.usage, hint: 'give one of them' });
    values.cache = 'off';
    sources.cache = '--no-cache';
  }
  return { values: values as Layered['values'], sources };
}

// A path in the file is relative to the file's folder (a mirror only when it is written as ./DIR
// or ../DIR; a live ISO unless it is a URL).
function isRelativePath(key: SettingKey, value: unknown): boolean {
  if (typeof value !== 'string') return false;
  if (key === 'mirror') return /^\.\.?\//.test(value);
  if (key === 'live-iso') return !isUrl(value) && !isAbsolute(value);
  if (key === 'cache' && value === 'off') return false;
  return pathKeys.has(key) && !isAbsolute(value);
}

// `given`: the file as the user named it (KUBENET_CONFIG=…), for errors about the file itself.
async function readConfig(file: string, given: string): Promise<Record<string, string | boolean | ClusterConfig>> {
  const data = ((await parseYaml(readSmallFile(file, given), file)) ?? {}) as Record<string, unknown>;
  if (typeof data !== 'object' || Array.isArray(data)) throw new KubenetError(`${file} is not a mapping of settings`, { code: ExitCode.usage, hint: 'e.g. "accel: tcg" on its own line' });
  const out: Record<string, string | boolean | ClusterConfig> = {};
  const known = [...settingKeys, ...fileOnlyKeys];
  for (const [key, value] of Object.entries(data)) {
    if (!(known as readonly string[]).includes(key)) {
      const near = suggestions(key, known);
      throw new KubenetError(`${file}: unknown setting "${key}"${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}`, { code: ExitCode.usage, hint: `the settings: ${known.join(', ')}` });
    }
    if (key === 'cluster') {
      out.cluster = clusterConfigOf(value, file);
      continue;
    }
    const onOff = booleanKeys.has(key as SettingKey);
    if (onOff ? typeof value !== 'boolean' : typeof value !== 'string' && typeof value !== 'number') {
      throw new KubenetError(`${file}: ${key} must be ${onOff ? 'true or false' : 'a value such as the command line takes'}`, { code: ExitCode.usage });
    }
    out[key] = typeof value === 'number' ? String(value) : (value as string | boolean);
  }
  return out;
}
