// Before kubenet read overlays' own headers, it recorded which image ubuntu0.img was made from in
// vm/ubuntu0/base.json and moved the overlay onto its pinned image only after a download had
// replaced it. An overlay left in between (a newer image downloaded by an older kubenet, the
// overlay not yet moved) is moved here, once; then the record goes. Nothing writes it any more.
import { join, relative } from 'node:path';
import { ExitCode, KubenetError } from '../errors.js';
import { readJson } from '../fs/json-file.js';
import { ownFile, removeOwn } from '../fs/no-follow.js';
import type { StepOps } from '../step-ops.js';
import { rebaseOverlay } from './rebase-overlay.js';

export interface LegacyOverlay {
  task: string; // whose reset makes a new VM
  vm: string; // whose folder held the record (ubuntu0)
  overlay: string; // relative to images/ (ubuntu0.img)
  image: string; // the download under its own name (jammy-server-cloudimg-<arch>.img)
  backing: string; // the overlay's backing name, from its header
  sha256: string | undefined; // the download's digest now
}

// True when the overlay was moved onto the image it was made from.
export async function moveLegacyOverlay(ctx: StepOps, o: LegacyOverlay): Promise<boolean> {
  const { paths } = ctx;
  const record = paths.vmFile(o.vm, 'base.json');
  const base = readJson<{ sha256?: string }>(record);
  if (!base) return false;
  const cloudImage = o.image;
  const backing = o.backing;
  const cloudSha = o.sha256;
  const stale = base.sha256 && cloudSha && base.sha256 !== cloudSha && backing === cloudImage;
  if (stale) {
    const pin = paths.pinned(base.sha256!, cloudImage);
    if (!(await ownFile(pin))) {
      throw new KubenetError(`${o.overlay} was made from an image (sha256 ${base.sha256!.slice(0, 16)}…) that is no longer here`, {
        code: ExitCode.failure,
        hint: `kubenet reset ${o.task} makes a new VM on the current image`,
      });
    }
    if (ctx.dryRun) {
      ctx.show({ exe: 'qemu-img', args: ['rebase', '-u', '-F', 'qcow2', '-b', relative(paths.root, pin), o.overlay] });
      return true;
    }
    await rebaseOverlay(join(paths.root, o.overlay), pin, `${o.overlay} was not started on the wrong image`, 'qcow2');
  }
  if (!ctx.dryRun) await removeOwn(paths.root, record);
  if (stale) ctx.note(`${o.overlay} keeps booting the image it was made from (sha256 ${base.sha256!.slice(0, 12)}…); kubenet reset ${o.task} moves the VM to the new one`);
  return Boolean(stale);
}
