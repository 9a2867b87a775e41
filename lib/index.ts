// kubenet's public API: what a task file imports — the built-in ones and yours.
//   import { task, download } from 'kubenet';
export { task, download } from './task/define.js';
export { ExitCode, KubenetError } from './errors.js'; // a task's own refusals: a message, a hint, an exit code
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
export { clusterNic, clusterNicArgs, rootFreeNetworkConfig, tapUpScript, userNetFiles } from './cluster/cluster-nic.js';
export { bridgeState, natChainReady } from './cluster/network-state.js';
export { collisions, freeNetwork } from './cluster/address-collision.js';
export { forgetMadeNow, ifindexOf, madeFile, noteMadeNow, readMade, wasMadeNow, writeMade } from './cluster/network-made.js';
export { bridgeNotOurs, chainNotOurs, dnsmasqFailed, networkInUse } from './cluster/network-refusals.js';
export { masterOf, tapOf } from './cluster/tap-of.js';
export { tapsBack, undoThisRun } from './cluster/network-repair.js';
export { guideDnsmasqLines, hostsLines, managedDnsmasqConf } from './cluster/dnsmasq-config.js';
export { runningDaemon, gone } from './cluster/daemon-process.js';
export { networkDaemonScript } from './usernet/network-daemon.js';
export { renderTemplate } from './cloud-init/render-template.js';
export type { Machine } from './task/types.js';
