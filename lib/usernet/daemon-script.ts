// Where the root-free network's daemon (network-daemon.ts) is, for a task to start it with node:
// a name of its own, so a task file that names it does not load the switch and the host side.
import { fileURLToPath } from 'node:url';

export const networkDaemonScript = fileURLToPath(new URL('./network-daemon.js', import.meta.url));
