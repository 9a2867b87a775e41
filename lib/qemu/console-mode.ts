// How a VM's console reaches the user. Decided from plain inputs so it can be tested as a table.
import type { HostOs } from '../host/types.js';

// window: QEMU's own window (cocoa, gtk); terminal: the serial console (and Ctrl-A C monitor)
// in this terminal; headless: nothing shown, the serial console only goes to the log.
export type ConsoleMode = 'window' | 'terminal' | 'headless';

export interface ConsoleModeInput {
  hostOs: HostOs;
  env: Record<string, string | undefined>; // DISPLAY, WAYLAND_DISPLAY
  headless: boolean; // the user asked for no console (--headless, CI)
  interactiveTty: boolean; // stdin and stdout are a terminal a person types at
}

// macOS always has a window system. Elsewhere a window needs an X or Wayland display; without
// one the guide's window becomes this terminal, and without a terminal, a log file.
export function chooseConsoleMode({ hostOs, env, headless, interactiveTty }: ConsoleModeInput): ConsoleMode {
  if (headless) return 'headless';
  if (hostOs === 'darwin' || env.DISPLAY || env.WAYLAND_DISPLAY) return 'window';
  return interactiveTty ? 'terminal' : 'headless';
}
