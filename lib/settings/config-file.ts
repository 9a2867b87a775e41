// Settings that stick: kubenet.yaml in the working folder (or KUBENET_CONFIG) and KUBENET_*
// variables, so a host that needs --accel tcg, a mirror or --arch says it once, and list, guide,
// --dry-run and explain all judge what the next run would do. The command line wins over the
// environment, which wins over the file.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ExitCode, KubenetError } from '../errors.js';
import { suggestions } from '../suggestions.js';
import { clusterConfigOf, type ClusterConfig } from './topology.js';
import { readSmallFile } from '../fs/read-small-file.js';
import { parseYaml } from './parse-yaml.js';
import { onOff } from '../kinds/words.js';
import { isSetting, settingKeys, settingKinds, type SettingName } from './setting-kinds.js';

// Only the file says these: a mapping has no command-line spelling.
export const fileOnlyKeys = ['cluster'] as const;
export type SettingKey = SettingName | (typeof fileOnlyKeys)[number];
// A setting that is on or off is true or false in the file (1/yes in the environment, a flag).
const isOnOff = (key: string): boolean => isSetting(key) && settingKinds[key] === onOff;

// The settings as given — command line, environment, file — before their kinds parse them.
export type RawSettings = { [K in SettingName]?: string | boolean } & {
  cluster?: ClusterConfig;
  yes?: boolean;
  verbose?: boolean;
};

export interface Layered {
  values: RawSettings; // each setting's winner: the command line's, else the environment's, else the file's
  sources: Partial<Record<SettingKey, string>>; // "--accel", "KUBENET_ACCEL", or the file's path
}

export const envName = (key: SettingKey) => `KUBENET_${key.toUpperCase().replaceAll('-', '_')}`;

export async function layeredSettings(
  cli: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<Layered> {
  const values: Record<string, unknown> = {};
  const sources: Partial<Record<SettingKey, string>> = {};
  const file = env.KUBENET_CONFIG ? resolve(cwd, env.KUBENET_CONFIG) : resolve(cwd, 'kubenet.yaml');
  if (existsSync(file)) {
    for (const [key, value] of Object.entries(
      await readConfig(file, env.KUBENET_CONFIG ? `KUBENET_CONFIG=${env.KUBENET_CONFIG}` : file),
    )) {
      values[key] = value;
      sources[key as SettingKey] = file;
    }
  } else if (env.KUBENET_CONFIG) {
    throw new KubenetError(`KUBENET_CONFIG=${env.KUBENET_CONFIG}: no such file`, {
      code: ExitCode.usage,
      hint: 'unset it, or point it at a kubenet.yaml',
    });
  }
  for (const key of settingKeys) {
    const value = env[envName(key)];
    if (value === undefined || value === '') continue;
    values[key] = value;
    sources[key] = envName(key);
  }
  for (const key of settingKeys) {
    if (cli[key] === undefined) continue;
    values[key] = cli[key];
    sources[key] = `--${key}`;
  }
  if (cli['no-cache'] === true) {
    if (cli.cache !== undefined)
      throw new KubenetError('--cache DIR and --no-cache contradict each other', {
        code: ExitCode.usage,
        hint: 'give one of them',
      });
    values.cache = 'off';
    sources.cache = '--no-cache';
  }
  return { values: values as Layered['values'], sources };
}

// `given`: the file as the user named it (KUBENET_CONFIG=…), for errors about the file itself.
async function readConfig(file: string, given: string): Promise<Record<string, string | boolean | ClusterConfig>> {
  const data = ((await parseYaml(readSmallFile(file, given), file)) ?? {}) as Record<string, unknown>;
  if (typeof data !== 'object' || Array.isArray(data))
    throw new KubenetError(`${file} is not a mapping of settings`, {
      code: ExitCode.usage,
      hint: 'e.g. "accel: tcg" on its own line',
    });
  const out: Record<string, string | boolean | ClusterConfig> = {};
  const known = [...settingKeys, ...fileOnlyKeys];
  for (const [key, value] of Object.entries(data)) {
    if (!(known as readonly string[]).includes(key)) {
      const near = suggestions(key, known);
      throw new KubenetError(
        `${file}: unknown setting "${key}"${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}`,
        { code: ExitCode.usage, hint: `the settings: ${known.join(', ')}` },
      );
    }
    if (key === 'cluster') {
      out.cluster = clusterConfigOf(value, file);
      continue;
    }
    const onOff = isOnOff(key);
    if (onOff ? typeof value !== 'boolean' : typeof value !== 'string' && typeof value !== 'number') {
      throw new KubenetError(
        `${file}: ${key} must be ${onOff ? 'true or false' : 'a value such as the command line takes'}`,
        { code: ExitCode.usage },
      );
    }
    out[key] = typeof value === 'number' ? String(value) : (value as string | boolean);
  }
  return out;
}
