import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { chooseConsoleMode, type ConsoleMode, type ConsoleModeInput } from '../../lib/qemu/console-mode.js';

const test = suite('chooseConsoleMode');

const cases: [string, ConsoleModeInput, ConsoleMode][] = [
  ['macOS shows a window', { hostOs: 'darwin', env: {}, headless: false, interactiveTty: true }, 'window'],
  [
    'macOS shows a window even without a terminal',
    { hostOs: 'darwin', env: {}, headless: false, interactiveTty: false },
    'window',
  ],
  [
    'Linux with X shows a window',
    { hostOs: 'linux', env: { DISPLAY: ':0' }, headless: false, interactiveTty: true },
    'window',
  ],
  [
    'Linux with Wayland shows a window',
    { hostOs: 'linux', env: { WAYLAND_DISPLAY: 'wayland-0' }, headless: false, interactiveTty: false },
    'window',
  ],
  [
    'Linux without a display uses the terminal',
    { hostOs: 'linux', env: {}, headless: false, interactiveTty: true },
    'terminal',
  ],
  [
    'an empty DISPLAY is no display',
    { hostOs: 'linux', env: { DISPLAY: '' }, headless: false, interactiveTty: true },
    'terminal',
  ],
  [
    'no display and no terminal is headless',
    { hostOs: 'linux', env: {}, headless: false, interactiveTty: false },
    'headless',
  ],
  [
    'asking for headless wins on macOS',
    { hostOs: 'darwin', env: {}, headless: true, interactiveTty: true },
    'headless',
  ],
  [
    'asking for headless wins over a display',
    { hostOs: 'linux', env: { DISPLAY: ':0' }, headless: true, interactiveTty: true },
    'headless',
  ],
  [
    'another OS without a display uses the terminal',
    { hostOs: 'other', env: {}, headless: false, interactiveTty: true },
    'terminal',
  ],
];

for (const [name, input, mode] of cases) test(name, () => assert.is(chooseConsoleMode(input), mode));

test.run();
