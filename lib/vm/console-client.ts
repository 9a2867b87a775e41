// `kubenet console VM`: this terminal on a running VM's serial console — the unix socket QEMU
// serves it on (vm/<vm>/console.sock, beside the serial log) — until Ctrl-] (as telnet and virsh
// console leave), or until the VM stops. Leaving closes only kubenet's connection: QEMU keeps the
// socket and the VM runs on. At a terminal the keys go to the guest as typed (raw mode: Ctrl-C
// is the guest's); from a pipe, what is piped goes in, and the end of the pipe leaves.
import { connect, type Socket } from 'node:net';
import { relative } from 'node:path';

export const escapeKey = 0x1d; // Ctrl-]
export const escapeName = 'Ctrl-]';

export interface ConsoleIo {
  input: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  output: NodeJS.WritableStream;
}

export type ConsoleEnd = 'left' | 'vm-stopped' | 'input-ended';

// Connects within `timeoutMs` (a unix socket path longer than ~100 bytes goes by its shorter
// relative form).
export function connectConsole(socketPath: string, timeoutMs = 5000): Promise<Socket> {
  const rel = relative(process.cwd(), socketPath);
  const path = rel.length < socketPath.length ? rel : socketPath;
  return new Promise((resolve, reject) => {
    const socket = connect({ path });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer on ${socketPath} within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

// Relays until the escape key, the end of the input, or the VM closing the socket.
export function relayConsole(socket: Socket, { input, output }: ConsoleIo): Promise<ConsoleEnd> {
  return new Promise((resolve) => {
    const raw = Boolean(input.isTTY && input.setRawMode);
    // However kubenet ends, the terminal is given back as it was.
    const restore = () => void input.setRawMode!(false);
    if (raw) {
      input.setRawMode!(true);
      process.once('exit', restore);
    }
    let ended = false;
    const end = (how: ConsoleEnd) => {
      if (ended) return;
      ended = true;
      if (raw) process.off('exit', restore);
      input.off('data', onInput);
      input.off('end', onInputEnd);
      if (raw) input.setRawMode!(false);
      input.pause();
      socket.off('data', onOutput);
      socket.destroy();
      resolve(how);
    };
    const onInput = (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      const at = raw ? bytes.indexOf(escapeKey) : -1;
      if (at === -1) return void socket.write(bytes);
      if (at > 0) socket.write(bytes.subarray(0, at));
      end('left');
    };
    // From a pipe: what was piped has gone in; give the guest a moment to answer, then leave. (Not
    // socket.end(): QEMU takes a half-closed connection for a closed one.)
    const onInputEnd = () => void setTimeout(() => end('input-ended'), 2000);
    const onOutput = (chunk: Buffer) => void output.write(chunk);
    socket.on('data', onOutput);
    socket.once('close', () => end('vm-stopped'));
    socket.once('error', () => end('vm-stopped'));
    input.on('data', onInput);
    input.once('end', onInputEnd);
    input.resume();
  });
}

// Connects as QEMU starts: its socket appears a moment after the process, so tries are repeated
// for up to `ms`; undefined when it never answers.
export async function connectWhenThere(socketPath: string, ms = 10_000): Promise<Socket | undefined> {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    try {
      return await connectConsole(socketPath, 1000);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return undefined;
}
