// Guide steps 2–8: from a bare machine to the live CD with network, graphics and a disk to
// install Ubuntu onto. `--step N` runs one step; the default is the last (8).
import { bootStep, stepInput } from '../lib/boot/boot-step.js';
import { createQcow2Once } from '../lib/disk/create-qcow2.js';
import { ExitCode, KubenetError } from '../lib/errors.js';
import { guideHostCommands } from '../lib/guide/host-commands.js';
import { guideFileNames } from '../lib/guide/guide-files.js';
import { guideStepInfo } from '../lib/guide/step-list.js';
import type { VmStep } from '../lib/guide/steps.js';
import { defineTask } from '../lib/task.js';

const steps = [2, 3, 4, 5, 6, 7, 8] as const;

export default defineTask({
  name: '02-live-cd',
  title: 'Boot the Ubuntu live CD (steps 2–8: bare machine, UEFI, live CD, network, graphics, disk)',
  guide: 'steps 2–8',
  deps: ['00-qemu', '12-live-iso'],
  always: 'boots a VM',
  precious: ({ paths }) => [paths.disk('live-cd'), paths.vmDir('live-cd'), paths.vmDir('machine')],
  async run(ctx) {
    const step = (ctx.opts.step ?? 8) as VmStep;
    if (!(steps as readonly number[]).includes(step)) {
      throw new KubenetError(`02-live-cd has steps ${steps.join(', ')}, not ${step}`, { code: ExitCode.usage, hint: 'kubenet help run; steps 9–11 belong to 03-cloud-image' });
    }
    const info = guideStepInfo(step)!;
    ctx.detail(`guide step ${step}: ${info.title} — ${info.summary}`);
    if (step === 8) {
      const [create] = guideHostCommands(8, await stepInput(ctx, { vm: 'live-cd' }));
      await createQcow2Once(ctx, guideFileNames(ctx.profile.guestArch).disk, create!);
    }
    await bootStep(ctx, { step, vm: info.vm ?? 'live-cd' });
  },
});
