import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { utimesSync, writeFileSync, rmSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkStatus } from '../../lib/fingerprint/check.js';
import { identityOf } from '../../lib/fingerprint/identity.js';
import { fingerprintInputs } from '../../lib/fingerprint/inputs.js';
import type { TaskRecord } from '../../lib/fingerprint/state.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('checkStatus');
let dir: ReturnType<typeof tempDir>;
test.before.each(() => {
  dir = tempDir();
});
test.after.each(() => dir.remove());

function recordFor(out: string, inputs = fingerprintInputs({ values: { arch: 'aarch64' } }, {})): TaskRecord {
  return {
    task: 't',
    inputs: inputs.digest,
    parts: inputs.parts,
    outputs: [{ path: out, sha256: 'x', ...identityOf(out)! }],
    finishedAt: '',
  };
}

test('is done when inputs and outputs are unchanged', () => {
  const out = join(dir.path, 'out');
  writeFileSync(out, 'made');
  const fp = fingerprintInputs({ values: { arch: 'aarch64' } }, {});
  assert.equal(checkStatus(recordFor(out), fp, [out]), { state: 'done' });
});

test('is stale when an option changes, and says which', () => {
  const out = join(dir.path, 'out');
  writeFileSync(out, 'made');
  const fp = fingerprintInputs({ values: { arch: 'x86_64' } }, {});
  const s = checkStatus(recordFor(out), fp, [out]);
  assert.is(s.state, 'stale');
  assert.match((s as { reason: string }).reason, 'option arch');
});

test('is stale when an input file changes content', () => {
  const input = join(dir.path, 'user-data');
  const out = join(dir.path, 'out');
  writeFileSync(input, '#cloud-config\n');
  writeFileSync(out, 'made');
  const before = fingerprintInputs({ files: [input] }, {});
  const record = recordFor(out, before);
  writeFileSync(input, '#cloud-config\npassword: x\n');
  const s = checkStatus(record, fingerprintInputs({ files: [input] }, {}), [out]);
  assert.is(s.state, 'stale');
  assert.match((s as { reason: string }).reason, `file ${input}`);
});

test('is stale when a dep produced something new', () => {
  const out = join(dir.path, 'out');
  writeFileSync(out, 'made');
  const before = fingerprintInputs({}, { '13-cloud': 'img=aaa' });
  const s = checkStatus(recordFor(out, before), fingerprintInputs({}, { '13-cloud': 'img=bbb' }), [out]);
  assert.is(s.state, 'stale');
  assert.match((s as { reason: string }).reason, 'dep 13-cloud');
});

test('is stale when an output is deleted', () => {
  const out = join(dir.path, 'out');
  writeFileSync(out, 'made');
  const record = recordFor(out);
  rmSync(out);
  const s = checkStatus(record, fingerprintInputs({ values: { arch: 'aarch64' } }, {}), [out]);
  assert.equal(s, { state: 'stale', reason: `output missing: ${out}` });
});

test('is stale when an output is modified (size or mtime)', () => {
  const out = join(dir.path, 'out');
  writeFileSync(out, 'made');
  const record = recordFor(out);
  appendFileSync(out, '!');
  const s = checkStatus(record, fingerprintInputs({ values: { arch: 'aarch64' } }, {}), [out]);
  assert.equal(s, { state: 'stale', reason: `output modified: ${out}` });
  const out2 = join(dir.path, 'out2');
  writeFileSync(out2, 'same');
  const record2 = recordFor(out2);
  utimesSync(out2, new Date(2001, 1, 1), new Date(2001, 1, 1));
  assert.is(checkStatus(record2, fingerprintInputs({ values: { arch: 'aarch64' } }, {}), [out2]).state, 'stale');
});

test('is never run without a record', () => {
  assert.equal(checkStatus(undefined, fingerprintInputs({}, {}), []), { state: 'never-run' });
});

test('a task that says it always runs is never up to date', () => {
  const s = checkStatus(undefined, fingerprintInputs({}, {}), [], 'boots a VM');
  assert.equal(s, { state: 'always', reason: 'boots a VM' });
});

test.run();
