// End to end, as root in a network namespace of the test's own: the files a network daemon writes
// for kubenet under images/network/ — dnsmasq's leases and pid file (dnsmasq runs as root and
// truncates what it opens), the root-free network's log and pid file — are checked before the
// daemon starts. A link planted at one stops the run (exit 10, naming it); the file it points to
// keeps its content and no daemon is left running.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { clusterHarness, clusterReady, clusterWhy, type ClusterHarness } from '../helpers/cluster-e2e.js';
import { skipUnless } from '../helpers/skip.js';
import { plantVictim } from '../helpers/victim.js';

const test = suite('e2e: links planted where a network daemon writes for kubenet');
let h: ClusterHarness | undefined;

test.before(async () => {
  if (clusterReady) h = await clusterHarness();
});
test.after(async () => {
  await h?.close();
});

// The processes left in the namespace (a daemon kubenet started would be one of them).
const processesIn = (ns: ClusterHarness['ns']) =>
  (spawnSync('ip', ['netns', 'pids', ns.name], { encoding: 'utf8' }).stdout ?? '').trim();

for (const [file, mode, program] of [
  ['network/dnsmasq.leases', '', 'dnsmasq'],
  ['network/dnsmasq.pid', '', 'dnsmasq'],
  ['network/usernet.log', '  network-mode: root-free\n', 'the root-free network'],
] as const) {
  test(`a link at ${file} stops the network before ${program} starts; its target is untouched`, async () => {
    if (skipUnless(clusterReady, clusterWhy)) return;
    await h!.prepare({ gateway: '192.168.1.10' }, [], mode);
    const victim = plantVictim(h!.dir, `victim-${file.replace('/', '-')}`);
    mkdirSync(join(h!.images, 'network'), { recursive: true });
    symlinkSync(victim.path, join(h!.images, file));
    try {
      const r = await h!.kubenet(['run', '21-shared-network', '--yes', '--offline'], 180_000);
      assert.is(r.code, 10, r.out);
      assert.match(
        r.out,
        `${join(h!.images, file)} is a symbolic link where kubenet keeps its own file (${program} writes it)`,
      );
      assert.ok(victim.untouched(), `${victim.path} is unchanged`);
      assert.is(processesIn(h!.ns), '', 'no daemon was started');
    } finally {
      rmSync(join(h!.images, file), { force: true });
      await h!.kubenet(['reset', '21-shared-network', '--yes'], 60_000);
    }
  });
}

test.run();
