// A folder whose cloud image is a blank disk, served by a local mirror: 03-cloud-image boots a VM
// whose firmware finds nothing to boot and stays up, with a forwarded ssh port — a VM to start,
// stop, attach to and delete in seconds. The `uefi` step's VM (the firmware's shell) needs none.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publish, startFaultServer, type FaultServer } from './fault-server.js';
import { killQemuIn } from './processes.js';
import { tempDir } from './tmp.js';

export interface BlankCloud {
  dir: string;
  images: string;
  server: FaultServer;
  close(): Promise<void>; // every QEMU of the folder killed, the server and the folder gone
}

export async function blankCloud(prefix: string): Promise<BlankCloud> {
  const dir = tempDir(prefix);
  const images = join(dir.path, 'images');
  const blank = join(dir.path, 'blank.qcow2');
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', blank, '64M']);
  const server = await startFaultServer();
  publish(
    server,
    'https://cloud-images.ubuntu.com/jammy/current/',
    'jammy-server-cloudimg-arm64.img',
    readFileSync(blank),
  );
  return {
    dir: dir.path,
    images,
    server,
    async close() {
      killQemuIn(images);
      await server.close();
      dir.remove();
    },
  };
}
