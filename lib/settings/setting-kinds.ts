// The settings — what kubenet.yaml, KUBENET_* variables and the command line may each set — and
// the kind of each: the one parser its text goes through, wherever it was given.
import type { Accel, GuestArch, NetMode } from '../host/types.js';
import type { KindValue } from '../kinds/kind.js';
import { count } from '../kinds/numbers.js';
import { cacheFolder, file, folder } from '../kinds/places.js';
import { size, sizeRanges } from '../kinds/sizes.js';
import { choice, onOff } from '../kinds/words.js';
import { fileOrHttps, mirror } from './url-kinds.js';

// q35 takes 288 vCPUs and virt 512 on QEMU 7.2: the bound is what a QEMU machine could take at all.
export const maxCpus = 1024;

// In the order `kubenet config` shows them.
export const settingKinds = {
  images: folder,
  arch: choice<GuestArch>('ARCH', ['aarch64', 'x86_64']),
  accel: choice<Accel>('ACCEL', ['hvf', 'kvm', 'tcg']),
  firmware: file,
  mirror,
  offline: onOff,
  cache: cacheFolder, // a folder, or 'off'
  'require-signature': onOff,
  'trusted-keys': file,
  net: choice<NetMode>('NET', ['user', 'vmnet-shared', 'vmnet-bridged', 'none']),
  memory: size(sizeRanges.memory, '2G'),
  smp: count(1, maxCpus, '2 (QEMU may allow fewer: q35 takes up to 288, virt 512)'),
  'disk-size': size(sizeRanges.disk, '128G'),
  'user-data': file,
  tasks: folder,
  'live-iso': fileOrHttps, // a file, or an https URL
} as const;

export type SettingName = keyof typeof settingKinds;
export const settingKeys = Object.keys(settingKinds) as SettingName[];
export const isSetting = (name: string): name is SettingName => Object.hasOwn(settingKinds, name);

// The settings as their kinds give them.
export type SettingValues = { [K in SettingName]?: KindValue<(typeof settingKinds)[K]> };
