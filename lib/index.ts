// kubenet's public API: what a task file imports — the built-in ones and yours.
//   import { task, download } from 'kubenet';
export { task, download } from './task/define.js';
export { cloudImage } from './task/cloud-image.js';
export type { TaskSpec, DownloadSpec } from './task/define.js';
export type {
  Task,
  Step,
  TaskContext,
  Download,
  DownloadedFile,
  SeedRequest,
  VmInfo,
  PlanContext,
  Inputs,
} from './task/types.js';
export type { HostVars } from './task/host-vars.js';
export type { Shell, ShellCommand, ShellOutput } from './task/shell.js';
export type { Command } from './command.js';
export type { QemuFacts, GuestArch, Accel } from './host/types.js';
export type { Settings } from './settings/settings.js';
export { authDir, networkFiles } from './paths.js';
export type { Paths } from './paths.js';
export { which } from './host/which.js';
export { ExitCode, KubenetError } from './errors.js';
export { topology, findVm } from './settings/topology.js';
export type { Topology, ClusterVm, VmType, ClusterConfig } from './settings/topology.js';
export { asRootFor, clusterNic, clusterNicArgs, rootFreeNetworkConfig, tapUpScript } from './cluster/cluster-nic.js';
export { bridgeState, natChainReady } from './cluster/network-state.js';
export { collisions, freeNetwork } from './cluster/address-collision.js';
export { forgetMadeNow, ifindexOf, noteMadeNow, readMade, wasMadeNow, writeMade } from './cluster/network-made.js';
export { bridgeNotOurs, chainNotOurs, dnsmasqFailed, networkInUse } from './cluster/network-refusals.js';
export { masterOf, tapOf } from './cluster/tap-of.js';
export { tapsBack, undoThisRun } from './cluster/network-repair.js';
export { guideDnsmasqLines, hostsLines, managedDnsmasqConf } from './cluster/dnsmasq-config.js';
export { runningDaemon, gone } from './cluster/daemon-process.js';
export { networkDaemonScript } from './usernet/daemon-script.js';
export { renderTemplate } from './cloud-init/render-template.js';
export type { Machine } from './task/types.js';
export { caConfig, caCsr } from './auth/csr-documents.js';
export { apiServerUrl, certificates, clusterName, deliveries, deliveryOrder } from './auth/auth-files.js';
export { isSecret, kubeconfigs, scriptOrder } from './auth/auth-files.js';
export type { Certificate, Kubeconfig } from './auth/auth-files.js';
export { encryptionConfig, encryptionConfigFile } from './auth/encryption-config.js';
export type { GenerateRequest, Generated, WriteOptions } from './task/types.js';
