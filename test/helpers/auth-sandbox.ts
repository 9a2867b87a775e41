// Chapter 4 for real, without VMs: a temp folder with images/ and a HOME of its own, and the real
// cfssl, cfssljson and kubectl reached through thin wrappers on PATH that write down each call
// (then exec the real tool), so a test can tell what a run ran — and, on request, make cfssljson
// stop at a marker first (for a kill in the middle of making a key).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { which } from '../../lib/host/which.js';
import { kubenetAsync, type CliResult } from './cli.js';
import { tempDir } from './tmp.js';

export const authTools = {
  cfssl: which('cfssl'),
  cfssljson: which('cfssljson'),
  kubectl: which('kubectl'),
  openssl: which('openssl'),
};

// A kubectl that can write a kubeconfig: Debian 12's kubernetes-client (1.20) crashes in set-credentials.
function kubectlWorks(kubectl: string | undefined): boolean {
  if (!kubectl) return false;
  const dir = tempDir('kubenet-kubectl-');
  try {
    return (
      spawnSync(
        kubectl,
        ['config', 'set-credentials', 'probe', '--token=x', `--kubeconfig=${join(dir.path, 'config')}`],
        { stdio: 'ignore', timeout: 20_000 },
      ).status === 0
    );
  } finally {
    dir.remove();
  }
}

export const haveAuthTools = Boolean(
  authTools.cfssl && authTools.cfssljson && authTools.openssl && kubectlWorks(authTools.kubectl),
);
export const authToolsWhy =
  'needs cfssl, cfssljson (apt-get install golang-cfssl), openssl, and a kubectl that can ' +
  "write kubeconfigs (the Kubernetes repository's; .ci/run installs one where none works)";

export interface AuthSandbox {
  dir: string;
  images: string;
  auth: string; // images/auth
  home: string;
  bin: string; // the wrappers
  run(
    args: string[],
    options?: {
      env?: NodeJS.ProcessEnv;
      path?: string;
      onSpawn?: (child: import('node:child_process').ChildProcess) => void;
    },
  ): Promise<CliResult>;
  calls(): string[][]; // each call since the last take: [tool, ...args]
  take(): string[][]; // the calls, then forgets them
  file(name: string): string; // images/auth/NAME as text
  cluster(yaml: string): void; // kubenet.yaml's cluster: (indented lines)
  remove(): void;
}

export function authSandbox(): AuthSandbox {
  const tmp = tempDir('kubenet-auth-');
  const images = join(tmp.path, 'images');
  const home = join(tmp.path, 'home');
  const bin = join(tmp.path, 'bin');
  const log = join(tmp.path, 'calls.log');
  mkdirSync(home);
  mkdirSync(bin);
  for (const [tool, real] of Object.entries(authTools)) {
    if (!real || tool === 'openssl') continue;
    // KUBENET_TEST_PAUSE=FILE: cfssljson writes its pid to FILE, then waits (KUBENET_TEST_PAUSE_S,
    // default 30 s) before doing its work.
    const pause =
      tool === 'cfssljson'
        ? 'if [ -n "$KUBENET_TEST_PAUSE" ]; then echo $$ > ' +
          '"$KUBENET_TEST_PAUSE"; sleep "${KUBENET_TEST_PAUSE_S:-30}"; fi\n'
        : '';
    writeFileSync(join(bin, tool), `#!/bin/sh\nprintf '%s\\n' "${tool} $*" >> '${log}'\n${pause}exec '${real}' "$@"\n`);
    chmodSync(join(bin, tool), 0o755);
  }
  const calls = () =>
    existsSync(log)
      ? readFileSync(log, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => l.split(' '))
      : [];
  return {
    dir: tmp.path,
    images,
    auth: join(images, 'auth'),
    home,
    bin,
    run: (args, options = {}) =>
      kubenetAsync([...args, '--images', images], {
        cwd: tmp.path,
        timeoutMs: 180_000,
        env: { HOME: home, PATH: options.path ?? `${bin}:${process.env.PATH}`, ...options.env },
        ...(options.onSpawn ? { onSpawn: options.onSpawn } : {}),
      }),
    calls,
    take() {
      const c = calls();
      writeFileSync(log, '');
      return c;
    },
    file: (name) => readFileSync(join(images, 'auth', name), 'utf8'),
    cluster: (yaml) => writeFileSync(join(tmp.path, 'kubenet.yaml'), `cluster:\n${yaml}`),
    remove: () => tmp.remove(),
  };
}

// What the calls made: `cfssl gencert … NAME-csr.json` → NAME (and -initca → ca); `kubectl …
// --kubeconfig=NAME.kubeconfig` → NAME.kubeconfig.
export const certsMade = (calls: string[][]) =>
  calls.filter((c) => c[0] === 'cfssl').map((c) => c.at(-1)!.replace(/-csr\.json$/, ''));
export const kubeconfigsMade = (calls: string[][]) => [
  ...new Set(
    calls
      .filter((c) => c[0] === 'kubectl')
      .map((c) => c.find((w) => w.startsWith('--kubeconfig='))?.slice('--kubeconfig='.length) ?? '(default)'),
  ),
];
