// A step's VMs in tmux, where tmux is present and kubenet runs at a terminal (the guide's
// vmlaunchall.sh and vmsshall.sh, as the step's `tmux` lays them out): a detached session with one
// pane per VM, each running `kubenet run STEP --vm NAME` (its serial console in the pane), started
// one after another; then, once every VM is ready, a session of `kubenet ssh VM` panes in the
// step's windows, attached. tmux gets argv, never a shell line: it runs a command given as
// several words without a shell.
import { ExitCode, KubenetError } from '../errors.js';
import { runChecked, runProcess } from '../process/run-process.js';
import type { Machine, Step, TaskContext, TmuxLayout } from '../task/types.js';
import type { ConsoleWait } from '../kinds/words.js';
import type { RunEnv } from './run-env.js';
import { recordSession } from './tmux-sessions.js';

// tmux is used when it is installed, kubenet has a terminal, and no --headless or --until asks
// for the foreground supervisor.
export function wantsTmux(options: {
  tmux: string | undefined;
  headless: boolean;
  until: ConsoleWait | undefined;
  interactive: boolean;
}): boolean {
  return options.tmux !== undefined && !options.headless && options.until === undefined && options.interactive;
}

// The kubenet command a pane runs for one VM: this kubenet, the same folder and guest, consent
// already given here, the downloads already made.
export function paneArgv(env: RunEnv, step: string, vm: string): string[] {
  const { settings } = env;
  return [
    process.execPath,
    process.argv[1]!,
    'run',
    step,
    '--vm',
    vm,
    '--yes',
    '--offline',
    '--images',
    settings.images,
    '--arch',
    env.profile.guestArch,
    ...(settings.accel ? ['--accel', settings.accel] : []),
    ...(settings.firmware ? ['--firmware', settings.firmware] : []),
    ...(settings.tasks ? ['--tasks', settings.tasks] : []),
  ];
}

// KUBENET_* travel with -e: a tmux server started earlier has its own environment.
const envArgs = () =>
  Object.entries(process.env).flatMap(([k, v]) =>
    k.startsWith('KUBENET_') && v !== undefined && k !== 'KUBENET_OFFLINE' ? ['-e', `${k}=${v}`] : [],
  );

// Each tmux command (not the attach): it answers at once, or its server is stuck.
const tmuxMs = 10_000;

export interface TmuxLaunch {
  env: RunEnv;
  step: Step & { tmux: TmuxLayout };
  contexts: readonly TaskContext[];
  firstLife(serialLog: string): Promise<void>; // waits (bounded) for a VM's console to start
  waitForSsh(ctx: TaskContext): Promise<string>; // the step's ready: how to reach it
}

export async function launchInTmux({ env, step, contexts, firstLife, waitForSsh }: TmuxLaunch): Promise<void> {
  const { reporter } = env;
  const task = contexts[0]!.task;
  const qemuSession = step.tmux.session;
  const tmux = (...args: string[]) => runChecked('tmux', args, { signal: env.signal, timeoutMs: tmuxMs });
  const exists = await runProcess('tmux', ['has-session', '-t', `=${qemuSession}`], {
    signal: env.signal,
    timeoutMs: tmuxMs,
  });
  if (exists.exitCode === 0) {
    throw new KubenetError(`the tmux session ${qemuSession} exists already`, {
      code: ExitCode.vm,
      hint:
        `look at it (tmux attach -t ${qemuSession}), or end it and its VMs (tmux kill-session ` +
        `-t ${qemuSession}; kubenet stop --all closes the sessions kubenet opened) and run again`,
    });
  }
  const cwd = process.cwd();
  for (const [i, ctx] of contexts.entries()) {
    const argv = paneArgv(env, step.tmux.paneStep ?? step.name, ctx.vm!);
    if (i === 0) {
      await tmux(
        'new-session',
        '-d',
        '-s',
        qemuSession,
        '-n',
        'qemu',
        '-x',
        '200',
        '-y',
        '60',
        '-c',
        cwd,
        ...envArgs(),
        '--',
        ...argv,
      );
      // a VM that fails keeps its last words in its pane
      await tmux('set-option', '-t', qemuSession, 'remain-on-exit', 'on');
      await recordSession(env.paths, qemuSession);
    } else {
      await tmux('split-window', '-t', `${qemuSession}:qemu`, '-v', '-c', cwd, ...envArgs(), '--', ...argv);
    }
    await tmux('select-layout', '-t', `${qemuSession}:qemu`, 'tiled');
    reporter.note(
      task,
      `${ctx.vm}: starting in tmux (${qemuSession}, pane ${i}); its serial ` +
        `console is also in ${env.paths.vmFile(ctx.vm!, 'serial.log')}`,
    );
    await firstLife(env.paths.vmFile(ctx.vm!, 'serial.log'));
  }
  reporter.note(
    task,
    `the VMs run in tmux: ` +
      `${process.env.TMUX ? `tmux switch-client -t ${qemuSession}` : `tmux attach -t ${qemuSession}`} ` +
      `(Ctrl-B D detaches; kubenet stop --all powers them off and closes the session)`,
  );
  const ways = await Promise.all(
    contexts.map(async (ctx) => {
      const how = await waitForSsh(ctx);
      reporter.note(task, `${ctx.vm} is up: ${how}`);
      return how;
    }),
  ).catch((error: unknown) => {
    throw new KubenetError((error as Error).message, {
      code: ExitCode.vm,
      cause: error,
      hint:
        `the VMs go on running: tmux attach -t ${qemuSession} shows their ` +
        `consoles; tmux kill-session -t ${qemuSession} powers them off`,
    });
  });
  const login = step.tmux.login;
  if (!login || ways.length !== contexts.length) return;
  await loginWindows(
    tmux,
    env,
    login,
    contexts.flatMap((c) => (c.machine ? [c.machine] : [])),
  );
  await recordSession(env.paths, login.session);
  const show = showSession(`${login.session}:${login.attach}`);
  if (show[0] === 'switch-client') {
    await tmux(...show);
    reporter.note(
      task,
      `this tmux client now shows ${login.session} (its windows: Ctrl-B W; back to your session: Ctrl-B ( )`,
    );
    return;
  }
  reporter.release();
  await runProcess('tmux', show, { stdin: 'inherit', stdout: 'inherit', stderr: 'inherit' }); // its user ends it
}

// How this terminal comes to show a session: attached — or, inside tmux already (no session
// within a session), this client switched to it.
export function showSession(target: string, env: NodeJS.ProcessEnv = process.env): string[] {
  return env.TMUX ? ['switch-client', '-t', target] : ['attach', '-t', target];
}

// A pane of `kubenet ssh VM` per VM of each window, in the window's layout.
async function loginWindows(
  tmux: (...args: string[]) => Promise<unknown>,
  env: RunEnv,
  login: NonNullable<TmuxLayout['login']>,
  machines: Machine[],
): Promise<void> {
  const ssh = (vm: string) => [
    process.execPath,
    process.argv[1]!,
    'ssh',
    vm,
    '--images',
    env.settings.images,
    '--arch',
    env.profile.guestArch,
  ];
  const sshSession = login.session;
  let first = true;
  for (const { name: window, vms: names, layout } of login.windows(machines)) {
    for (const [i, name] of names.entries()) {
      if (first)
        await tmux(
          'new-session',
          '-d',
          '-s',
          sshSession,
          '-n',
          window,
          '-x',
          '200',
          '-y',
          '60',
          ...envArgs(),
          '--',
          ...ssh(name),
        );
      else if (i === 0) await tmux('new-window', '-t', sshSession, '-n', window, ...envArgs(), '--', ...ssh(name));
      else await tmux('split-window', '-t', `${sshSession}:${window}`, '-v', ...envArgs(), '--', ...ssh(name));
      first = false;
      await tmux('select-layout', '-t', `${sshSession}:${window}`, layout);
    }
  }
}
