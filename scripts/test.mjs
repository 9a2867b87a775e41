// `npm test`: uvu, with what uvu lacks.
// - When a suite's `before` hook throws, uvu counts none of its cases as failed (the error is
//   swallowed) and exits 0: a whole suite would pass without running. So every suite's
//   "(ran / total)" must add up, or the run fails and names the suites.
// - At the end one line counts what passed, failed and was skipped, and the cases skipped for want
//   of a host property (helpers/skip.ts testOnHost: a working KVM, kvm_pvm…) are listed with why.
// - Interrupted (Ctrl-C, SIGTERM, SIGHUP: a CI job cancelled, `kill` of npm), it ends everything the
//   tests started, not only uvu: uvu runs in a process group of its own, which gets the signal,
//   and every process that carries this run's mark in its environment (KUBENET_TEST_RUN, inherited
//   by all the tests start) is ended too — a `kubenet run --detach` and its QEMU, which run in
//   sessions of their own, and a daemon started for a test. Then a namespace the tests made goes.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

const uvu = new URL('../node_modules/uvu/bin.js', import.meta.url).pathname; // not in uvu's exports
const mark = `KUBENET_TEST_RUN=${process.pid}-${randomBytes(4).toString('hex')}`;
// The tests import tsc's output (dist/), and so does a built-in task they import ('kubenet' under
// the kubenet-tsc condition): one instance of each module in the test process. The CLI they start
// by bin/ runs the bundle that ships (bundle/): the flag is not passed on to it.
const child = spawn(process.execPath, ['--conditions=kubenet-tsc', uvu, ...process.argv.slice(2)], {
  stdio: ['ignore', 'pipe', 'inherit'], // no stdin: a process group in the background must not read the terminal
  detached: true, // its own process group, ended as one
  env: { ...process.env, [mark.split('=')[0]]: mark.split('=')[1] },
});
let out = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  out += chunk.toString();
});

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${signal}: ending the tests and every process they started…\n`);
    end('SIGTERM');
    // What has not gone after 5 s is killed; then the tests' network namespaces go.
    setTimeout(() => {
      const left = end('SIGKILL');
      removeNamespaces(child.pid);
      process.stderr.write(`ended${left.length ? ` (${left.length} killed after 5 s: ${left.join(', ')})` : ''}\n`);
      process.exit(130);
    }, 5_000).unref();
  });
}

// Signals uvu's process group and every process marked as this run's; returns the pids signalled.
function end(signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is gone already
  }
  const marked = markedProcesses();
  for (const pid of marked) {
    try {
      process.kill(pid, signal);
    } catch {
      // gone meanwhile
    }
  }
  return marked;
}

function markedProcesses() {
  const found = [];
  let entries = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return found; // no /proc (macOS): the process group is all that is ended
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(mark)) found.push(Number(entry));
    } catch {
      // gone, or another user's
    }
  }
  return found;
}

// test/helpers/netns.ts names each namespace after the test process's pid: kubenet-t<pid>-<n>.
function removeNamespaces(pid) {
  const names = (spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '')
    .split('\n')
    .map((l) => l.split(' ')[0]);
  for (const name of names) if (name?.startsWith(`kubenet-t${pid}-`)) spawnSync('ip', ['netns', 'del', name]);
}

child.on('exit', (code, signal) => {
  if (stopping) {
    // uvu is gone; the marked processes may still be ending: wait for them (bounded above).
    const wait = setInterval(() => {
      if (markedProcesses().length > 0) return;
      clearInterval(wait);
      removeNamespaces(child.pid);
      process.exit(130);
    }, 100);
    return;
  }
  const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
  const short = [];
  let file = '';
  for (const line of plain.split('\n')) {
    if (/\.test\.js$/.test(line.trim())) file = line.trim();
    const suite = /^ (.+?) .*\((\d+) \/ (\d+)\)\s*$/.exec(line);
    if (suite && !line.includes('✘') && Number(suite[2]) < Number(suite[3]))
      short.push(`${file}: "${suite[1].trim()}" ran ${suite[2]} of ${suite[3]} cases`);
  }
  // One line that counts what ran, failed and was skipped, and why each host-property case was.
  const total = /Total:\s+(\d+)/.exec(plain);
  const passed = /Passed:\s+(\d+)/.exec(plain);
  const skipped = /Skipped:\s+(\d+)/.exec(plain);
  if (total && passed && skipped) {
    const hostSkips = [...plain.matchAll(/^ {2}SKIP \(host\): (.+)$/gm)].map((m) => m[1]);
    const failed = Number(total[1]) - Number(passed[1]);
    process.stdout.write(`${passed[1]} passed, ${failed} failed, ${skipped[1]} skipped\n`);
    if (hostSkips.length)
      process.stdout.write(
        `skipped for want of a host property (no install gives it):\n${hostSkips.map((s) => `  ${s}`).join('\n')}\n`,
      );
  }
  if (short.length) {
    process.stdout.write(
      `\nA suite that ran fewer cases than it has, without a failure: its before hook threw, and uvu ` +
        `hid the error.\n${short.map((s) => `  ${s}`).join('\n')}\nRun that file alone to see the error.\n`,
    );
    process.exit(1);
  }
  process.exit(code ?? (signal ? 1 : 0));
});
