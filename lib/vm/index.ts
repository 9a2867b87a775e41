// Running a VM in the foreground: what the runner's boot steps start. The rest of vm/ (detached
// VMs, status, stop, QMP) is imported by the file that needs it.
export { runVm, type RunVmOptions, type RunVmResult } from './run-vm.js';
