// A stand-in for qemu-system-*, run as `node fake-qemu.js <QEMU's argv>`: it prints what QEMU
// would print, serves QMP on the socket its -qmp argument names (fake-qmp.ts), and exits on
// `quit` or SIGTERM as QEMU does. The environment says how it behaves (see fakeQemuEnv).
import { startFakeQmp } from './fake-qmp.js';

const argv = process.argv.slice(2);
const qmp = argv[argv.indexOf('-qmp') + 1] ?? '';
const socket = /^unix:(.*?),server=/.exec(qmp)?.[1];
if (!socket) {
  process.stderr.write(`fake-qemu: no -qmp unix:PATH,server=… in ${JSON.stringify(argv)}\n`);
  process.exit(1);
}
process.stderr.write(process.env.FAKE_QEMU_STDERR ?? '');
const fake = await startFakeQmp(socket, {
  status: process.env.FAKE_QEMU_STATUS ?? 'running',
  greet: process.env.FAKE_QEMU_QMP !== 'silent',
});
const exit = () => void fake.close().then(() => process.exit(0));
process.on('SIGTERM', exit);
void fake.quit.then(exit);
