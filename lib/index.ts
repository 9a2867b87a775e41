// kubenet's public API: what a task file imports — the built-in ones and yours.
//   import { task, download } from 'kubenet';
export { task, download } from './task/define.js';
export type { TaskSpec, DownloadSpec } from './task/define.js';
export type { Task, Step, TaskContext, Download, DownloadedFile, SeedRequest, VmInfo, PlanContext, Inputs } from './task/types.js';
export type { HostVars } from './task/host-vars.js';
export type { Shell, ShellCommand, ShellOutput } from './task/shell.js';
export type { Command } from './command.js';
export type { QemuFacts, GuestArch, Accel } from './host/types.js';
export type { Settings } from './settings/settings.js';
export { which } from './host/which.js';
