// The tmux sessions kubenet opened for the cluster (kubenet-qemu, kubenet-ssh), kept in
// images/.kubenet/tmux.json with the tmux server they live on, so that `kubenet stop --all` and
// `kubenet reset` close them: no dead panes of VMs that were stopped, no ssh left hanging on a VM
// that is gone. A session of that name kubenet did not record is not kubenet's to close.
import { readJson, writeJson } from '../fs/json-file.js';
import type { Paths } from '../paths.js';
import { vmNames } from '../vm/vm-report.js';
import { vmStatus } from '../vm/vm-status.js';
import { runChecked, runProcess } from '../process/run-process.js';

export interface OpenedSession {
  name: string;
  socket: string; // the tmux server's socket: the one this kubenet spoke to
}

export function openedSessions(paths: Paths): OpenedSession[] {
  const own = 'the tmux sessions kubenet opened';
  const record = readJson<{ sessions?: OpenedSession[] }>(paths.tmuxSessions, { own });
  return (record?.sessions ?? []).filter((s) => typeof s.name === 'string' && typeof s.socket === 'string');
}

// Records a session this kubenet just made, on the server tmux runs it on.
export async function recordSession(paths: Paths, name: string): Promise<void> {
  const asked = await runChecked('tmux', ['display-message', '-p', '-t', name, '#{socket_path}'], { timeoutMs: 5000 });
  const socket = asked.stdout.trim();
  const others = openedSessions(paths).filter((s) => !(s.name === name && s.socket === socket));
  await writeJson(paths.tmuxSessions, { sessions: [...others, { name, socket }] }, { root: paths.root });
}

// Closes the sessions kubenet opened that are still there, once no VM of this images/ runs (a
// pane may hold a VM's QEMU: closing it would stop the VM); says which.
export async function closeSessions(paths: Paths): Promise<string[]> {
  const recorded = openedSessions(paths);
  if (recorded.length === 0) return [];
  for (const vm of await vmNames(paths)) if ((await vmStatus(paths, vm)).running) return [];
  const closed: string[] = [];
  for (const s of recorded) {
    const r = await runProcess('tmux', ['-S', s.socket, 'kill-session', '-t', `=${s.name}`], { timeoutMs: 5000 });
    if (r.exitCode === 0) closed.push(s.name);
  }
  await writeJson(paths.tmuxSessions, { sessions: [] }, { root: paths.root });
  return closed;
}
