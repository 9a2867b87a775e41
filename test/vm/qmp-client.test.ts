import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execa, type ResultPromise } from 'execa';
import { mkdir } from 'node:fs/promises';
import { KubenetError } from '../../lib/errors.js';
import { QmpClient } from '../../lib/vm/qmp-client.js';
import { firmwareArgs, qemuExe, tempImages, type TempImages } from '../helpers/vm-qemu.js';

const test = suite('qmp-client');
let images: TempImages;
let qemu: ResultPromise | undefined;

test.before(async () => {
  images = await tempImages();
  await mkdir(images.paths.vmDir('machine'), { recursive: true });
  qemu = execa(qemuExe, firmwareArgs(images.paths, 'machine'), { reject: false, stdin: 'ignore' });
});
test.after(async () => {
  qemu?.kill('SIGKILL');
  await qemu;
  await images.cleanup();
});

const socket = () => images.paths.vmFile('machine', 'qmp.sock');

test('connect waits for the socket, negotiates, and query-status answers', async () => {
  const qmp = await QmpClient.connect(socket(), { timeoutMs: 20_000 });
  try {
    const status = await qmp.execute<{ running: boolean; status: string }>('query-status');
    assert.is(status.running, true);
    assert.is(status.status, 'running');
  } finally {
    qmp.close();
  }
});

test('arguments are passed and a QMP error becomes a KubenetError', async () => {
  const qmp = await QmpClient.connect(socket(), { timeoutMs: 20_000 });
  try {
    const found = await qmp.execute<Array<{ name: string }>>('qom-list', { path: '/machine' });
    assert.ok(
      found.some((p) => p.name === 'type'),
      'qom-list took its path argument',
    );
    try {
      await qmp.execute('no-such-command');
      assert.unreachable('QEMU should refuse an unknown command');
    } catch (error) {
      assert.instance(error, KubenetError);
      assert.match((error as Error).message, 'CommandNotFound');
    }
  } finally {
    qmp.close();
  }
});

test('quit ends QEMU cleanly', async () => {
  const qmp = await QmpClient.connect(socket(), { timeoutMs: 20_000 });
  await qmp.execute('quit').catch(() => undefined);
  qmp.close();
  const result = await qemu!;
  assert.is(result.exitCode, 0);
});

test('connecting to a socket nobody serves fails with a hint', async () => {
  try {
    await QmpClient.connect(`${images.root}/nobody.sock`, { timeoutMs: 300 });
    assert.unreachable('should fail');
  } catch (error) {
    assert.instance(error, KubenetError);
    assert.ok((error as KubenetError).hint?.includes('-qmp'));
  }
});

test.run();
