// The command line, parsed once with node:util (cheap to load: the no-op run must start fast).
import { parseArgs } from 'node:util';
import { ExitCode, KubenetError } from '../errors.js';
import type { Accel, GuestArch, NetMode } from '../host/types.js';

export interface Options {
  command: string;
  names: string[]; // task names (or the ssh command's words)
  arch?: GuestArch;
  accel?: Accel;
  firmware?: string;
  images?: string;
  mirror?: string;
  net?: NetMode;
  memory: string;
  smp: number;
  diskSize: string;
  userData?: string;
  until?: string;
  timeout: number; // seconds
  wait: number; // seconds `kubenet ssh` waits for sshd to answer
  step?: number;
  force: boolean;
  dryRun: boolean;
  verbose: boolean;
  json: boolean;
  offline: boolean;
  headless: boolean;
  yes: boolean;
  cacheKey: boolean;
  help: boolean;
  version: boolean;
}

const spec = {
  arch: { type: 'string' },
  accel: { type: 'string' },
  firmware: { type: 'string' },
  images: { type: 'string' },
  mirror: { type: 'string' },
  net: { type: 'string' },
  memory: { type: 'string', short: 'm' },
  smp: { type: 'string' },
  'disk-size': { type: 'string' },
  'user-data': { type: 'string' },
  until: { type: 'string' },
  timeout: { type: 'string' },
  wait: { type: 'string' },
  step: { type: 'string' },
  force: { type: 'boolean', short: 'f' },
  'dry-run': { type: 'boolean', short: 'n' },
  verbose: { type: 'boolean', short: 'v' },
  json: { type: 'boolean' },
  offline: { type: 'boolean' },
  headless: { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  'cache-key': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

export const optionNames = Object.keys(spec).map((name) => `--${name}`);

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new KubenetError(`--${flag} ${value} is not one of: ${allowed.join(', ')}`, { code: ExitCode.usage });
}

function positiveInt(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) {
    throw new KubenetError(`--${flag} ${value} is not a positive whole number`, { code: ExitCode.usage });
  }
  return n;
}

const sizePattern = /^\d+[KMGT]?$/;
function size(flag: string, value: string | undefined, fallback: string): string {
  if (value === undefined) return fallback;
  if (!sizePattern.test(value)) {
    throw new KubenetError(`--${flag} ${value} is not a size like 2G or 512M`, { code: ExitCode.usage });
  }
  return value;
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): Options {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: spec, allowPositionals: true, strict: true });
  } catch (error) {
    throw new KubenetError((error as Error).message.replace(/^TypeError.*?: /, ''), {
      code: ExitCode.usage,
      cause: error,
      hint: 'kubenet --help lists the commands and options',
    });
  }
  const v = parsed.values;
  const [command = 'help', ...names] = parsed.positionals;
  const timeout = v.timeout === undefined ? 600 : Number(v.timeout);
  if (!(timeout > 0)) throw new KubenetError(`--timeout ${v.timeout} is not a number of seconds`, { code: ExitCode.usage });
  if (v.mirror !== undefined && !/^https?:\/\/[^/]/.test(v.mirror)) {
    throw new KubenetError(`--mirror ${v.mirror} is not an http(s) URL`, { code: ExitCode.usage, hint: 'e.g. --mirror https://mirror.example/kubenet' });
  }
  const wait = v.wait === undefined ? 300 : Number(v.wait);
  if (!(wait >= 0) || v.wait?.trim() === '') throw new KubenetError(`--wait ${v.wait} is not a number of seconds`, { code: ExitCode.usage });
  const mirror = v.mirror ?? (env.KUBENET_MIRROR || undefined);
  return {
    command,
    names,
    arch: oneOf('arch', v.arch, ['aarch64', 'x86_64'] as const),
    accel: oneOf('accel', v.accel, ['hvf', 'kvm', 'tcg'] as const),
    firmware: v.firmware,
    images: v.images,
    mirror,
    net: oneOf('net', v.net, ['user', 'vmnet-shared', 'vmnet-bridged', 'none'] as const),
    memory: size('memory', v.memory, '2G'),
    smp: positiveInt('smp', v.smp, 2),
    diskSize: size('disk-size', v['disk-size'], '128G'),
    userData: v['user-data'],
    until: v.until,
    timeout,
    wait,
    step: v.step === undefined ? undefined : positiveInt('step', v.step, 0),
    force: v.force ?? false,
    dryRun: v['dry-run'] ?? false,
    verbose: v.verbose ?? false,
    json: v.json ?? false,
    offline: v.offline ?? false,
    headless: v.headless ?? false,
    yes: v.yes ?? false,
    cacheKey: v['cache-key'] ?? false,
    help: v.help ?? false,
    version: v.version ?? false,
  };
}
