// `npm test`: uvu, with one check uvu lacks. When a suite's `before` hook throws, uvu counts none
// of its cases as failed (the error is swallowed) and exits 0: a whole suite would pass without
// running. So every suite's "(ran / total)" must add up, or the run fails and names the suites.
// At the end one line counts what passed, failed and was skipped, and the cases skipped for want
// of a host property (helpers/skip.ts testOnHost: a working KVM, kvm_pvm…) are listed with why.
import { spawn } from 'node:child_process';

const uvu = new URL('../node_modules/uvu/bin.js', import.meta.url).pathname; // not in uvu's exports
const child = spawn(process.execPath, [uvu, ...process.argv.slice(2)], { stdio: ['inherit', 'pipe', 'inherit'] });
let out = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  out += chunk.toString();
});
child.on('exit', (code, signal) => {
  const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
  const short = [];
  let file = '';
  for (const line of plain.split('\n')) {
    if (/\.test\.js$/.test(line.trim())) file = line.trim();
    const suite = /^ (.+?) .*\((\d+) \/ (\d+)\)\s*$/.exec(line);
    if (suite && !line.includes('✘') && Number(suite[2]) < Number(suite[3])) short.push(`${file}: "${suite[1].trim()}" ran ${suite[2]} of ${suite[3]} cases`);
  }
  // One line that counts what ran, failed and was skipped, and why each host-property case was.
  const total = /Total:\s+(\d+)/.exec(plain);
  const passed = /Passed:\s+(\d+)/.exec(plain);
  const skipped = /Skipped:\s+(\d+)/.exec(plain);
  if (total && passed && skipped) {
    const hostSkips = [...plain.matchAll(/^ {2}SKIP \(host\): (.+)$/gm)].map((m) => m[1]);
    const failed = Number(total[1]) - Number(passed[1]);
    process.stdout.write(`${passed[1]} passed, ${failed} failed, ${skipped[1]} skipped\n`);
    if (hostSkips.length) process.stdout.write(`skipped for want of a host property (no install gives it):\n${hostSkips.map((s) => `  ${s}`).join('\n')}\n`);
  }
  if (short.length) {
    process.stdout.write(`\nA suite that ran fewer cases than it has, without a failure: its before hook threw, and uvu hid the error.\n${short.map((s) => `  ${s}`).join('\n')}\nRun that file alone to see the error.\n`);
    process.exit(1);
  }
  process.exit(code ?? (signal ? 1 : 0));
});
