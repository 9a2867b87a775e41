// The chapter's steps as the lead split them into tasks: 00-qemu finds QEMU (step 1), 02-live-cd
// walks the live-CD machine from bare to installed (2–8), 03-cloud-image boots the cloud VM (9–11).

export type GuideTask = '00-qemu' | '02-live-cd' | '03-cloud-image';
export type GuideVm = 'machine' | 'live-cd' | 'ubuntu0'; // names for lib/paths.ts vmDir/vmFile

export interface GuideStepInfo {
  step: number;
  title: string; // the guide's heading
  task: GuideTask;
  vm?: GuideVm; // the VM this step runs; absent when the step runs no VM
  summary: string;
}

export const guideSteps: readonly GuideStepInfo[] = [
  { step: 1, title: 'QEMU version', task: '00-qemu', summary: 'find qemu-system-<arch>, its version and firmware' },
  { step: 2, title: 'A bare machine', task: '02-live-cd', vm: 'machine', summary: 'a machine with QEMU defaults and nothing to boot' },
  { step: 3, title: 'The hard way', task: '02-live-cd', vm: 'machine', summary: 'no defaults: monitor and serial console by hand' },
  { step: 4, title: 'UEFI', task: '02-live-cd', vm: 'machine', summary: 'UEFI firmware; it stops in its shell with nothing to boot' },
  { step: 5, title: 'Live CD', task: '02-live-cd', vm: 'live-cd', summary: 'boot the Ubuntu live ISO with 2 CPUs and 2G of memory' },
  { step: 6, title: 'Network', task: '02-live-cd', vm: 'live-cd', summary: 'add a network card' },
  { step: 7, title: 'Graphics and peripherals', task: '02-live-cd', vm: 'live-cd', summary: 'GPU, display, USB input and sound' },
  { step: 8, title: 'Disk', task: '02-live-cd', vm: 'live-cd', summary: 'a 128G qcow2 disk to install Ubuntu onto' },
  { step: 9, title: 'Cloud image', task: '03-cloud-image', summary: 'a copy-on-write overlay backed by the cloud image' },
  { step: 10, title: 'Headless', task: '03-cloud-image', vm: 'ubuntu0', summary: 'boot the overlay with serial and monitor in the terminal' },
  { step: 11, title: 'cloud-init (NoCloud)', task: '03-cloud-image', vm: 'ubuntu0', summary: 'a cidata seed ISO so ubuntu can log in' },
];

export function guideStepInfo(step: number): GuideStepInfo | undefined {
  return guideSteps.find((s) => s.step === step);
}
