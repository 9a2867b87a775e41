// A stand-in for qemu-system-*, run as `node fake-qemu.js <QEMU's argv>`: it prints what QEMU
// would print, serves QMP on every socket its -qmp arguments name (fake-qmp.ts), and exits on
// `quit` or SIGTERM as QEMU does. The environment says how it behaves (see fakeQemuVars): a
// guest that honours the ACPI power button, a QEMU that ignores everything but SIGKILL.
import { startFakeQmp } from './fake-qmp.js';

const argv = process.argv.slice(2);
const sockets = argv
  .flatMap((arg, i) => (argv[i - 1] === '-qmp' ? [/^unix:(.*?),server=/.exec(arg)?.[1]] : []))
  .filter((s) => s !== undefined);
if (sockets.length === 0) {
  process.stderr.write(`fake-qemu: no -qmp unix:PATH,server=… in ${JSON.stringify(argv)}\n`);
  process.exit(1);
}
process.stderr.write(process.env.FAKE_QEMU_STDERR ?? '');
const aborting = process.env.FAKE_QEMU_ABORT === '1';
const fakes = await Promise.all(
  sockets.map((socket) =>
    startFakeQmp(socket, {
      status: process.env.FAKE_QEMU_STATUS ?? 'running',
      greet: process.env.FAKE_QEMU_QMP !== 'silent',
      hangUp: aborting,
    }),
  ),
);
if (aborting) setTimeout(() => process.kill(process.pid, 'SIGABRT'), 200);
const exit = () => void Promise.all(fakes.map((f) => f.close())).then(() => process.exit(0));
const stubborn = process.env.FAKE_QEMU_STUBBORN === '1';
process.on('SIGTERM', () => (stubborn ? undefined : exit()));
for (const fake of fakes) {
  if (!stubborn) void fake.quit.then(exit);
  if (process.env.FAKE_QEMU_ACPI === '1') void fake.powerdown.then(exit);
}
