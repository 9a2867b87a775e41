// `kubenet guide` as data: each step's status from task statuses and files, and the next step.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { guideRows, nextRow, renderGuideMap, type GuideProgress } from '../../lib/explain/guide-map.js';

const test = suite('guide map');

const fresh: GuideProgress = { tasks: {}, files: { disk: false, overlay: false, seed: false }, booted: {} };
const qemuDone: GuideProgress = { ...fresh, tasks: { '00-qemu': { state: 'done' } } };
const liveCd: GuideProgress = {
  tasks: { '00-qemu': { state: 'done' }, '12-live-iso': { state: 'done' } },
  files: { disk: false, overlay: false, seed: false },
  booted: { machine: true, 'live-cd': true },
};
const chapterDone: GuideProgress = {
  tasks: { '00-qemu': { state: 'done' }, '12-live-iso': { state: 'done' }, '13-cloud-img': { state: 'done' } },
  files: { disk: true, overlay: true, seed: true },
  booted: { machine: true, 'live-cd': true, ubuntu0: true },
};

const states = (p: GuideProgress) => guideRows(p).map((r) => r.state);

test('on a fresh machine nothing is done and step 1 is next', () => {
  assert.equal(states(fresh), Array(11).fill('not-yet'));
  assert.is(nextRow(guideRows(fresh))!.command, 'kubenet run 00-qemu');
});

test('after 00-qemu the bare machine of step 2 is next', () => {
  assert.is(nextRow(guideRows(qemuDone))!.command, 'kubenet run 02-live-cd --step 2');
});

test('with the live CD booted and no disk yet, step 8 is next', () => {
  assert.equal(states(liveCd), ['done', 'booted', 'booted', 'booted', 'booted', 'booted', 'booted', 'not-yet', 'not-yet', 'not-yet', 'not-yet']);
  assert.is(nextRow(guideRows(liveCd))!.command, 'kubenet run 02-live-cd --step 8');
});

test('step 1 comes before later steps that are done, since they all need it', () => {
  const p: GuideProgress = { ...chapterDone, tasks: { ...chapterDone.tasks, '00-qemu': { state: 'never-run' } } };
  assert.is(nextRow(guideRows(p))!.step, 1);
});

test('a stale step comes first, with its reason', () => {
  const p: GuideProgress = { ...chapterDone, tasks: { ...chapterDone.tasks, '13-cloud-img': { state: 'stale', reason: 'changed: url' } } };
  const next = nextRow(guideRows(p))!;
  assert.is(next.step, 9);
  assert.is(next.note, 'the cloud image: changed: url');
});

test('an ISO not downloaded keeps the live-CD steps at "not yet" even when that VM booted before', () => {
  const p: GuideProgress = { ...liveCd, tasks: { '00-qemu': { state: 'done' }, '12-live-iso': { state: 'never-run' } } };
  assert.equal(states(p).slice(4, 7), ['not-yet', 'not-yet', 'not-yet']);
});

test('when every step is done there is nothing next, and the map says so', () => {
  assert.is(nextRow(guideRows(chapterDone)), undefined);
  assert.match(renderGuideMap(guideRows(chapterDone), 'Chapter 1'), 'chapter 1 is done');
});

test('the map lists the steps in order with their commands and the next one', () => {
  const text = renderGuideMap(guideRows(qemuDone), 'Chapter 1');
  const lines = text.split('\n');
  assert.match(lines[2]!, /^ 1  QEMU version +kubenet run 00-qemu +done$/);
  assert.match(lines[12]!, /^11  cloud-init \(NoCloud\) +kubenet run 03-cloud-image --step 11 +not yet \(cidata\.iso not made yet\)$/);
  assert.match(text, 'Next: kubenet run 02-live-cd --step 2');
  assert.match(text, 'kubenet explain 02-live-cd --step 2');
});

test.run();
