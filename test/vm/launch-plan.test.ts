import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { launchPlan } from '../../lib/vm/launch-plan.js';

const test = suite('launch-plan');
const qemu = { exe: 'qemu-system-aarch64', args: ['-m', '2G'], sudo: false };

const cases: Array<[string, Parameters<typeof launchPlan>, ReturnType<typeof launchPlan>]> = [
  [
    'headless with setpriv: own session, dies with kubenet',
    [qemu, { interactive: false, setpriv: '/usr/bin/setpriv' }],
    {
      file: '/usr/bin/setpriv',
      args: ['--pdeathsig', 'TERM', '--', 'qemu-system-aarch64', '-m', '2G'],
      detached: true,
      dieWithParent: true,
    },
  ],
  [
    'interactive with setpriv: stays in the terminal foreground group',
    [qemu, { interactive: true, setpriv: '/usr/bin/setpriv' }],
    {
      file: '/usr/bin/setpriv',
      args: ['--pdeathsig', 'TERM', '--', 'qemu-system-aarch64', '-m', '2G'],
      detached: false,
      dieWithParent: true,
    },
  ],
  [
    'without setpriv (macOS): QEMU as is',
    [qemu, { interactive: false, setpriv: undefined }],
    { file: 'qemu-system-aarch64', args: ['-m', '2G'], detached: false, dieWithParent: false },
  ],
  [
    'with sudo: sudo runs QEMU, no session of its own so it can ask for a password',
    [
      { ...qemu, sudo: true, sudoReason: 'vmnet' },
      { interactive: false, setpriv: '/usr/bin/setpriv', root: false },
    ],
    { file: 'sudo', args: ['qemu-system-aarch64', '-m', '2G'], detached: false, dieWithParent: false },
  ],
  [
    'detached (--detach): QEMU as is, in a session of its own, not bound to kubenet',
    [qemu, { interactive: false, setpriv: '/usr/bin/setpriv', outliveKubenet: true }],
    { file: 'qemu-system-aarch64', args: ['-m', '2G'], detached: true, dieWithParent: false },
  ],
  [
    'detached with sudo: sudo may not prompt (nothing could answer); kubenet asked first',
    [
      { ...qemu, sudo: true, sudoReason: 'vmnet' },
      { interactive: false, setpriv: undefined, outliveKubenet: true, root: false },
    ],
    { file: 'sudo', args: ['-n', 'qemu-system-aarch64', '-m', '2G'], detached: true, dieWithParent: false },
  ],
  [
    'detached with sudo, already root: QEMU itself, not bound to kubenet',
    [
      { ...qemu, sudo: true, sudoReason: 'tap' },
      { interactive: false, setpriv: '/usr/bin/setpriv', outliveKubenet: true, root: true },
    ],
    { file: 'qemu-system-aarch64', args: ['-m', '2G'], detached: true, dieWithParent: false },
  ],
  [
    'with sudo, already root: QEMU itself, guarded by setpriv',
    [
      { ...qemu, sudo: true, sudoReason: 'tap' },
      { interactive: false, setpriv: '/usr/bin/setpriv', root: true },
    ],
    {
      file: '/usr/bin/setpriv',
      args: ['--pdeathsig', 'TERM', '--', 'qemu-system-aarch64', '-m', '2G'],
      detached: true,
      dieWithParent: true,
    },
  ],
];

for (const [name, args, expected] of cases) {
  test(name, () => assert.equal(launchPlan(...args), expected));
}

test.run();
