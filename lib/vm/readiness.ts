// When a VM counts as up. `kubenet run --detach` returns then; a run that waits for something
// other than a line on the serial console ends then. A readiness is a function that resolves
// once the condition holds (with what it saw), given what kubenet knows of the VM as it starts;
// the run's --timeout bounds it and the end of the run aborts it. A new kind (e.g. sshd answering)
// is one more such function, chosen where the command line is read (runner/boot-wait.ts).

export interface StartedVm {
  pid: number;
  // QMP's first query-status said `running` — or QMP did not answer, so only the process is known
  // to run (run-state-watch.ts says why in --verbose). A VM QEMU stopped never gets here.
  running: Promise<void>;
  firstOutput: Promise<string>; // the first line the serial console showed that is not blank
  signal: AbortSignal; // aborted when the run ends, ready or not: stop polling then
}

export interface Readiness {
  what: string; // for "waiting for …" and a timeout's message: "the serial console to show a first sign of life"
  describe?(): string; // the same, with why it has not held yet, for a timeout's message
  wait(vm: StartedVm): Promise<string>; // resolves when ready, with what was seen; never rejects
}

// The default for --detach: QEMU runs and the guest (or its firmware) printed something.
export const firstSignOfLife: Readiness = {
  what: 'QEMU to run and its serial console to show a first sign of life',
  async wait(vm) {
    await vm.running;
    const first = await vm.firstOutput;
    return `QEMU runs and its serial console printed "${first.length > 60 ? `${first.slice(0, 60)}…` : first}"`;
  },
};
