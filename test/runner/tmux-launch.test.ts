// The cluster in tmux: when kubenet itself runs inside tmux, the login session is shown by
// switching this client to it — never a tmux session nested inside another.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { showSession, wantsTmux } from '../../lib/runner/tmux-launch.js';

const test = suite('tmux launch');

test('outside tmux the login session is attached; inside, this client switches to it', () => {
  assert.equal(showSession('kubenet-ssh:ssh-controls', {}), ['attach', '-t', 'kubenet-ssh:ssh-controls']);
  assert.equal(showSession('kubenet-ssh:ssh-controls', { TMUX: '/tmp/tmux-0/default,123,0' }), [
    'switch-client',
    '-t',
    'kubenet-ssh:ssh-controls',
  ]);
});

test('tmux is used at a terminal where it is installed, unless --headless or --until asks for the foreground', () => {
  assert.ok(wantsTmux({ tmux: '/usr/bin/tmux', headless: false, until: undefined, interactive: true }));
  assert.not.ok(wantsTmux({ tmux: undefined, headless: false, until: undefined, interactive: true }));
  assert.not.ok(wantsTmux({ tmux: '/usr/bin/tmux', headless: true, until: undefined, interactive: true }));
  assert.not.ok(wantsTmux({ tmux: '/usr/bin/tmux', headless: false, until: 'ssh', interactive: true }));
});

test.run();
