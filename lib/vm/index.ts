// Running VMs: the API the tasks and the runner use.
export { runVm, defaultGraceMs, type RunVmOptions, type RunVmResult } from './run-vm.js';
export { detachVm, type DetachVmOptions, type DetachedVm } from './detach-vm.js';
export { vmStatus } from './vm-status.js';
export { QmpClient, type QmpEvent } from './qmp-client.js';
export { explainQemuFailure, type FailureContext } from './explain-qemu-failure.js';
export { firmwareStuckHint } from './firmware-stuck.js';
export type { QemuCommand } from './launch-plan.js';
export type { StopOutcome } from './stop-qemu.js';
