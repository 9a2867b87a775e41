// Guide steps 9–11: a copy-on-write overlay on the cloud image, a cloud-init seed written by
// kubenet, and the headless boot. `--step 9|10|11`; the default is the whole chapter (11).
import { bootStep, stepInput } from '../lib/boot/boot-step.js';
import { ensureSshKey } from '../lib/cloud-init/ssh-key.js';
import { writeSeed } from '../lib/cloud-init/write-seed.js';
import { ensureOverlay } from '../lib/disk/overlay.js';
import { ExitCode, KubenetError } from '../lib/errors.js';
import { readRecord } from '../lib/fingerprint/state.js';
import { writeFileAtomic } from '../lib/fs/atomic-write.js';
import { defaultNet } from '../lib/guide/profile-choices.js';
import { defineTask } from '../lib/task.js';

const vm = 'ubuntu0';

export default defineTask({
  name: '03-cloud-image',
  title: 'Boot the Ubuntu cloud image with a cloud-init seed (overlay, seed, headless boot)',
  guide: 'steps 9–11',
  deps: ['00-qemu', '13-cloud-img'],
  always: 'boots a VM',
  precious: ({ paths }) => [paths.disk(vm), paths.vmDir(vm)],
  async run(ctx) {
    const step = ctx.opts.step ?? 11;
    if (![9, 10, 11].includes(step)) {
      throw new KubenetError(`03-cloud-image has steps 9, 10, 11, not ${step}`, { code: ExitCode.usage, hint: 'steps 2–8 belong to 02-live-cd' });
    }
    const { paths } = ctx;
    // The digest 13-cloud-img recorded while downloading: which image a new overlay is made from.
    const cloudSha = readRecord(paths.taskState('13-cloud-img'))?.outputs[0]?.sha256;
    const base = await stepInput(ctx, { vm });
    await ensureOverlay(ctx, base, cloudSha);
    if (step === 9) return;

    let sshPort: number | undefined;
    if (defaultNet(base) === 'user' && !ctx.dryRun) {
      const { freePort } = await import('../lib/net/free-port.js');
      sshPort = await freePort();
      await writeFileAtomic(paths.vmFile(vm, 'ssh-port'), `${sshPort}\n`);
      ctx.detail(`ssh: 127.0.0.1:${sshPort} → guest port 22 (kubenet ssh)`);
    }
    if (step === 11) {
      const key = await ensureSshKey(ctx);
      await writeSeed(ctx, { hostname: vm, sshPublicKey: key?.publicKey, userDataFile: ctx.opts.userData });
    }
    // Step 10 has no seed: nothing can log in yet (the guide says so).
    const ssh = step === 11 ? { hostname: vm } : undefined;
    await bootStep(ctx, { step: step as 10 | 11, vm, ...(sshPort === undefined ? {} : { sshPort }), ...(ssh ? { ssh } : {}) });
  },
});
