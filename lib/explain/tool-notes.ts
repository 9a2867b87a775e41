// The chapter's other commands (steps 8, 9 and 11): qemu-img and mkisofs, option by option.
// Keys are "exe word"; positional words use the role they play (FILE, SIZE, INPUT).
import type { OptionNote } from './option-note.js';

export const toolNotes: Record<string, OptionNote> = {
  'qemu-img create': {
    what: 'make a new disk image',
    why: 'a VM needs a disk to install onto (step 8) or a copy-on-write disk over the cloud image (step 9)',
  },
  'qemu-img -f': {
    what: (v) =>
      `the new image's format: ` +
      `${v}${v === 'qcow2' ? ' (QEMU copy-on-write: the file grows only as the guest writes)' : ''}`,
    why: 'a 128G qcow2 disk starts at a few hundred kilobytes',
  },
  'qemu-img -F': {
    what: (v) => `the backing image's format: ${v}`,
    why: "QEMU refuses to guess a backing file's format (guessing raw would be a security hole)",
  },
  'qemu-img -b': {
    what: (v) => `back the new image by ${v}: reads fall through to it, writes land in the new image only`,
    why: 'the downloaded cloud image is never written to, and any number of VMs can share it',
  },
  'qemu-img FILE': {
    what: (v) => `the image to create, ${v}`,
    why: "the guide's file name, in images/",
  },
  'qemu-img SIZE': {
    what: (v) => `the virtual size the guest sees, ${v}`,
    why: 'room to grow; a qcow2 file takes only what is written',
  },
  'mkisofs -output': {
    what: (v) => `write the ISO image to ${v}`,
    why: 'the seed QEMU attaches as a disk',
  },
  'mkisofs -volid': {
    what: (v) => `label the volume ${v}`,
    why: "cloud-init's NoCloud source looks for a volume labelled cidata",
  },
  'mkisofs -joliet': {
    what: 'add Joliet names (long names for Windows-style readers)',
    why: 'keeps the names user-data and meta-data intact for every reader',
  },
  'mkisofs -rock': {
    what: 'add Rock Ridge names and permissions (long, case-sensitive names for Unix readers)',
    why: 'plain ISO 9660 would turn user-data into USER_DAT; cloud-init needs the real names',
  },
  'mkisofs INPUT': {
    what: (v) => `put ${v} at the top of the ISO`,
    why: 'cloud-init reads user-data (what to do) and meta-data (who the instance is) from the seed',
  },
};
