// The root-free network as a daemon of the user's own: the switch and the host side, started by
// `node network-daemon.js network/usernet.json` in images/. Like dnsmasq, the command returns once
// the network is ready (its pid file written) and the network goes on in a detached process until
// SIGTERM (kubenet reset 21-shared-network), which removes the socket and the pid file.
import { closeSync, constants, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HostSideConfig } from './host-side.js';
import { hostSide } from './host-side.js';
import { startSwitch } from './switch.js';
import { networkDaemonScript } from './daemon-script.js';

export interface NetworkDaemonConfig extends HostSideConfig {
  socket: string; // relative to images/: where the VMs' QEMUs connect
  pidFile: string;
  log: string;
}

async function serve(config: NetworkDaemonConfig): Promise<void> {
  rmSync(config.socket, { force: true });
  const network = await startSwitch(config.socket, config.mac, hostSide(config));
  const stop = () =>
    void network.close().finally(() => {
      rmSync(config.socket, { force: true });
      rmSync(config.pidFile, { force: true });
      process.exit(0);
    });
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // made new: never through a link (removed before the start)
  writeFileSync(config.pidFile, `${process.pid}\n`, { flag: 'wx' });
  process.stdout.write(`serving ${config.ip} (DHCP, DNS for ${config.domain}) on ${config.socket}\n`);
}

// Started by path (no top-level await: the bundle is CommonJS).
async function main(): Promise<void> {
  const [file, role] = process.argv.slice(2);
  const config = JSON.parse(readFileSync(file!, 'utf8')) as NetworkDaemonConfig;
  if (role === 'serve') {
    await serve(config);
  } else {
    rmSync(config.pidFile, { force: true });
    const { O_WRONLY, O_CREAT, O_TRUNC, O_NOFOLLOW = 0 } = constants; // never through a link
    const log = openSync(config.log, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW);
    const { startChild } = await import('../process/start-child.js'); // the starting half only, as serve's are
    const serve = [networkDaemonScript, file!, 'serve'];
    const child = await startChild(process.execPath, serve, { detached: true, stdio: ['ignore', log, log] });
    closeSync(log);
    child.unref();
    let ready = false;
    for (let i = 0; i < 100 && !(ready = existsSync(config.pidFile)) && !child.hasExited(); i += 1) await sleep(100);
    if (!ready) {
      process.stderr.write(`the root-free network did not start:\n${readFileSync(config.log, 'utf8')}`);
      child.kill('SIGTERM');
      process.exit(1);
    }
  }
}

if (process.argv[1] === networkDaemonScript) void main();
