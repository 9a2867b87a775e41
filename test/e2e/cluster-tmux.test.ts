// End to end: at a terminal, with tmux installed, `kubenet run 30-cluster` lays the VMs out as
// the guide's vmlaunchall.sh does — a detached session kubenet-qemu, one pane per VM, each pane
// running `kubenet run vm-launch --vm NAME` with its console — started one after another. The
// tiny test guests have no sshd, so kubenet's wait for the login session ends at --timeout and
// says how to reach the VMs; they go on running (and pinging each other) until the session is
// killed. In a network namespace and a tmux server of the test's own.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { which } from '../../lib/host/which.js';
import { binPath } from '../helpers/cli.js';
import { clusterHarness, clusterReady, clusterWhy, type ClusterHarness } from '../helpers/cluster-e2e.js';
import { eventually } from '../helpers/vm-qemu.js';
import { qemuProcessesIn } from '../helpers/processes.js';
import { hasScript, runInPty } from '../helpers/pty.js';
import { skipUnless } from '../helpers/skip.js';
import { guestMarkers } from '../helpers/test-guest.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('e2e: the cluster in tmux, as vmlaunchall.sh lays it out');
const ready = clusterReady && which('tmux') !== undefined && hasScript;
let h: ClusterHarness | undefined;
let tmuxDir: ReturnType<typeof tempDir> | undefined;

test.before(async () => {
  if (ready) h = await clusterHarness();
  tmuxDir = tempDir('kubenet-tmux-');
});
test.after(async () => {
  if (h) h.ns.run(['tmux', 'kill-server'], 10_000, tmuxEnv());
  await h?.close();
  tmuxDir?.remove();
});

const tmuxEnv = (): NodeJS.ProcessEnv => ({ ...process.env, TMUX_TMPDIR: tmuxDir!.path, HOME: join(h!.dir, 'home') });

test(
  'a pane per VM running kubenet run vm-launch, the guests ' +
    'reach each other, and killing the session powers them off',
  async () => {
    if (skipUnless(ready, `${clusterWhy}, tmux and script (bsdutils)`)) return;
    await h!.prepare({ gateway: '192.168.1.10', control0: '192.168.1.11', worker0: '192.168.1.12' }, [
      'gateway',
      'control0',
      'worker0',
    ]);
    const { CI: _ci, ...env } = tmuxEnv();
    const argv = h!.ns.argv([
      process.execPath,
      binPath,
      'run',
      '30-cluster',
      '--yes',
      '--offline',
      '--timeout',
      '120',
      '--arch',
      'aarch64',
      '--images',
      h!.images,
    ]);
    const r = await runInPty(argv, { columns: 160, rows: 50, env, cwd: h!.dir, timeoutMs: 400_000, maxBytes: 1 << 20 });
    assert.is(r.code, 30, r.output);
    assert.match(r.output, 'tmux attach -t kubenet-qemu');
    const panes = h!.ns.run(
      ['tmux', 'list-panes', '-t', 'kubenet-qemu:qemu', '-F', '#{pane_start_command}'],
      10_000,
      tmuxEnv(),
    );
    assert.is(panes.code, 0, panes.stderr);
    const lines = panes.stdout.trim().split('\n');
    assert.is(lines.length, 3, panes.stdout);
    for (const [i, vm] of ['gateway', 'control0', 'worker0'].entries())
      assert.match(lines[i]!, `run vm-launch --vm ${vm} --yes`);
    for (const vm of ['gateway', 'control0', 'worker0']) {
      const log = join(h!.images, 'vm', vm, 'serial.log');
      assert.ok(
        await eventually(
          () => existsSync(log) && guestMarkers(readFileSync(log, 'utf8')).includes('KUBENET-GUEST: done'),
          240_000,
        ),
        `${vm} finished its pings`,
      );
      const m = guestMarkers(readFileSync(log, 'utf8'));
      assert.ok(
        ['gateway', 'control0', 'worker0'].every((p) => m.includes(`KUBENET-GUEST: ping ${p} ok`)),
        `${vm}: ${m.join('\n')}`,
      );
    }
    assert.is(qemuProcessesIn(h!.images).length, 3, 'the VMs run on in tmux');
    // stop --all powers them off and closes the session kubenet opened: no dead panes are left.
    const stop = await h!.kubenet(['stop', '--all', '--grace', '1'], 180_000);
    assert.is(stop.code, 0, stop.out);
    assert.match(stop.out, 'closed the tmux session kubenet-qemu');
    assert.ok(await eventually(() => qemuProcessesIn(h!.images).length === 0, 60_000), 'every QEMU stopped');
    assert.is.not(
      h!.ns.run(['tmux', 'has-session', '-t', 'kubenet-qemu'], 10_000, tmuxEnv()).code,
      0,
      'the session is gone',
    );
  },
);

test.run();
