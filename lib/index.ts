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
export { topology, findVm } from './cluster/topology.js';
export type { Topology, ClusterVm, VmType, ClusterConfig } from './cluster/topology.js';
export { clusterNic, tapUpScript } from './cluster/cluster-nic.js';
export { bridgeState, natChainReady } from './cluster/network-state.js';
export { guideDnsmasqLines, hostsLines, managedDnsmasqConf } from './cluster/dnsmasq-config.js';
export { runningDnsmasq, gone } from './cluster/dnsmasq-process.js';
export { renderTemplate } from './cloud-init/render-template.js';
export type { Machine } from './task/types.js';
