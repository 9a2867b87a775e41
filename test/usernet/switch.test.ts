// The root-free network's switch, with two clients speaking QEMU's stream framing: a broadcast
// reaches the other port and the host side; a frame to a MAC it has learnt goes to that port
// only; the host side's replies go back to the asker; frames split across chunks still arrive.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { arpReply, broadcastMac, etherArp, ethernet, ipBytes, macBytes } from '../../lib/usernet/packets.js';
import { framed, frameReader, startSwitch, type Switch } from '../../lib/usernet/switch.js';
import { tempDir } from '../helpers/tmp.js';
import { eventually } from '../helpers/vm-qemu.js';

const test = suite('usernet switch');
const a = macBytes('52:52:52:00:00:00');
const b = macBytes('52:52:52:00:00:01');
const host = macBytes('52:52:52:ff:ff:01');
let dir: ReturnType<typeof tempDir>;
let sw: Switch;
const toHost: Buffer[] = [];
const clients: Socket[] = [];

// A client that collects the frames it receives.
async function client(path: string): Promise<{ socket: Socket; frames: Buffer[] }> {
  const frames: Buffer[] = [];
  const socket = connect(path);
  clients.push(socket);
  socket.on(
    'data',
    frameReader((f) => frames.push(Buffer.from(f))),
  );
  await new Promise((resolve) => socket.once('connect', resolve));
  return { socket, frames };
}

test.before(async () => {
  dir = tempDir('kubenet-switch-');
  // The host side answers ARP for 192.168.1.1 (as host-side.ts does) and records what it saw.
  sw = await startSwitch(join(dir.path, 'hub.sock'), '52:52:52:ff:ff:01', (frame) => {
    toHost.push(frame);
    const reply =
      frame.readUInt16BE(12) === etherArp ? arpReply(frame.subarray(14), ipBytes('192.168.1.1'), host) : undefined;
    return reply ? [ethernet(frame.subarray(6, 12), host, etherArp, reply)] : [];
  });
});
test.after(async () => {
  for (const c of clients) c.destroy();
  await sw.close();
  dir.remove();
});

test('a broadcast reaches the other VM and the host side; a learnt MAC gets its frame alone', async () => {
  const one = await client(join(dir.path, 'hub.sock'));
  const two = await client(join(dir.path, 'hub.sock'));
  assert.ok(await eventually(() => sw.ports() === 2, 10_000));
  const hello = ethernet(broadcastMac, a, 0x0800, Buffer.from('hello everyone'));
  one.socket.write(framed(hello));
  assert.ok(await eventually(() => two.frames.length > 0, 10_000));
  assert.equal(
    two.frames.map((f) => f.subarray(14).toString()),
    ['hello everyone'],
  );
  assert.equal(one.frames, [], 'not back to the sender');
  assert.ok(toHost.some((f) => f.equals(hello)));
  two.socket.write(framed(ethernet(a, b, 0x0800, Buffer.from('to a'))));
  assert.ok(await eventually(() => one.frames.length > 0, 10_000));
  assert.equal(
    one.frames.map((f) => f.subarray(14).toString()),
    ['to a'],
  );
});

test("an ARP question for the host's address gets the host side's answer, in frames split across chunks", async () => {
  const one = await client(join(dir.path, 'hub.sock'));
  const question = Buffer.alloc(28);
  question.writeUInt16BE(1, 0);
  question.writeUInt16BE(0x0800, 2);
  question[4] = 6;
  question[5] = 4;
  question.writeUInt16BE(1, 6);
  a.copy(question, 8);
  ipBytes('192.168.1.10').copy(question, 14);
  ipBytes('192.168.1.1').copy(question, 24);
  const message = framed(ethernet(broadcastMac, a, etherArp, question));
  one.socket.write(message.subarray(0, 7));
  await new Promise((resolve) => setImmediate(resolve));
  one.socket.write(message.subarray(7));
  assert.ok(await eventually(() => one.frames.some((f) => f.readUInt16BE(12) === etherArp), 10_000));
  const reply = one.frames.find((f) => f.readUInt16BE(12) === etherArp);
  assert.ok(reply, 'an ARP reply came back');
  assert.equal([...reply!.subarray(22, 28)], [...host], "the host side's MAC for 192.168.1.1");
});

test.run();
