// The probe behind `--until ssh`: would `kubenet ssh -- true` succeed now? The banner first
// (cheap, no process), then ssh itself, without prompts and bounded in time.
import { failureText, runProcess } from '../process/run-process.js';
import type { ReadyProbe } from '../vm/ready-probe.js';
import { sshdBanner } from './sshd-banner.js';
import { sshArgv, sshTarget, type SshTargetInput } from './ssh-target.js';

export function sshReadyProbe(input: SshTargetInput, { attemptMs = 30_000 }: { attemptMs?: number } = {}): ReadyProbe {
  let failure: string | undefined;
  return {
    what: 'sshd to accept `kubenet ssh -- true`',
    lastFailure: () => failure,
    async check(signal) {
      let target;
      try {
        target = sshTarget(input);
      } catch (error) {
        failure = (error as Error).message; // no key or no address yet
        return false;
      }
      if (!(await sshdBanner(target.host, target.port, 10_000))) {
        failure = `no sshd answered on ${target.host}:${target.port}`;
        return false;
      }
      const args = sshArgv(target, ['true'], { batch: true, connectTimeout: 10 });
      const r = await runProcess('ssh', args, { timeoutMs: attemptMs, signal });
      failure = r.exitCode === 0 ? undefined : r.stderr.trim().split('\n').at(-1) || `ssh ${failureText(r)}`;
      return r.exitCode === 0;
    },
  };
}
