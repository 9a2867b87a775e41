// The run state QEMU reports (QMP query-status: running, paused, guest-panicked, …), asked once
// over a VM's control socket, for kubenet status and stop. Bounded as a whole: a QEMU that does
// not greet or answer within `ms` (busy, wedged, or another client holds the socket) is said so.
import { existsSync } from 'node:fs';
import { answerWithin, QmpClient } from './qmp-client.js';

export type RunStateAnswer = { state: string } | { error: string };

export async function queryRunState(socket: string, ms = 2000): Promise<RunStateAnswer> {
  if (!existsSync(socket)) return { error: `no control socket (${socket})` };
  const deadline = Date.now() + ms;
  let client: QmpClient | undefined;
  try {
    client = await QmpClient.connect(socket, { timeoutMs: ms });
    const status = await answerWithin(
      client.execute<{ status: string }>('query-status'),
      Math.max(1, deadline - Date.now()),
    );
    return { state: status.status };
  } catch {
    return { error: `QMP did not answer within ${ms / 1000} s` };
  } finally {
    client?.close();
  }
}
