// End to end, the slow one: all seven VMs of the guide's cluster, booted together on the bridge in
// a network namespace under TCG; every VM gets its reserved address and reaches every other by
// name. (test/e2e/cluster.test.ts boots three and checks the rest of the network's life.)
import { suite } from 'uvu';
import { clusterHarness, clusterReady, clusterWhy, type ClusterHarness } from '../helpers/cluster-e2e.js';
import { skipUnless } from '../helpers/skip.js';

const test = suite('e2e: the seven VMs of the cluster');
let h: ClusterHarness | undefined;

test.before(async () => {
  if (clusterReady) h = await clusterHarness();
});
test.after(async () => {
  await h?.close();
});

test('gateway, control0..2 and worker0..2 each get 192.168.1.(10+id) and ping every other by name', async () => {
  if (skipUnless(clusterReady, clusterWhy)) return;
  const names = ['gateway', 'control0', 'control1', 'control2', 'worker0', 'worker1', 'worker2'];
  const vms = Object.fromEntries(names.map((name, id) => [name, `192.168.1.${10 + id}`]));
  const started = performance.now();
  const out = await h!.bootAndPing(vms, names);
  process.stdout.write(
    `\n  seven VMs up, pinging each other, and shut down: ${((performance.now() - started) / 1000).toFixed(1)} s\n${out
      .split('\n')
      .filter((l) => /matched|all 7/.test(l))
      .map((l) => `    ${l}`)
      .join('\n')}\n`,
  );
});

test.run();
