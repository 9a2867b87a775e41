// A QMP server the test controls, on a unix socket: it greets, answers qmp_capabilities, answers
// query-status with whatever `status` is at the time, sends the events the test pushes, and can
// instead stay silent (never greet) or never answer query-status: the hangs kubenet must bound.
import { writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface FakeQmpOptions {
  status?: string; // the run state query-status reports; default running
  greet?: boolean; // false: accept connections and say nothing
  answerStatus?: boolean; // false: greet and negotiate, then never answer query-status
  hangUp?: boolean; // true: close every connection at once, unanswered (a QEMU on its way out)
}

export interface FakeQmp {
  status: string;
  readonly queries: number; // query-status commands received
  readonly quit: Promise<void>; // a client sent quit
  readonly powerdown: Promise<void>; // a client sent system_powerdown (the ACPI power button)
  event(name: string, data?: unknown): void; // to every connected client
  close(): Promise<void>;
}

export async function startFakeQmp(
  path: string,
  { status = 'running', greet = true, answerStatus = true, hangUp = false }: FakeQmpOptions = {},
): Promise<FakeQmp> {
  const clients = new Set<Socket>();
  let queries = 0;
  let quitRequested!: () => void;
  const quit = new Promise<void>((resolve) => (quitRequested = resolve));
  let powerdownRequested!: () => void;
  const powerdown = new Promise<void>((resolve) => (powerdownRequested = resolve));
  const send = (socket: Socket, message: unknown) => socket.write(`${JSON.stringify(message)}\n`);

  const server = createServer((socket) => {
    clients.add(socket);
    socket.on('close', () => clients.delete(socket));
    socket.on('error', () => undefined);
    if (hangUp) return void socket.destroy();
    if (!greet) return;
    send(socket, { QMP: { version: { qemu: { major: 7, minor: 2, micro: 0 }, package: 'fake' }, capabilities: [] } });
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      buffer += text;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const { execute, id } = JSON.parse(buffer.slice(0, newline)) as { execute: string; id?: string };
        buffer = buffer.slice(newline + 1);
        if (execute === 'query-status') {
          queries++;
          if (answerStatus) send(socket, { return: { status: fake.status, running: fake.status === 'running' }, id });
        } else {
          send(socket, { return: {}, id });
          if (execute === 'quit') quitRequested();
          if (execute === 'system_powerdown') powerdownRequested();
        }
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, resolve);
  });

  const fake: FakeQmp = {
    status,
    get queries() {
      return queries;
    },
    quit,
    powerdown,
    event(name, data) {
      const seconds = Math.floor(Date.now() / 1000);
      for (const socket of clients)
        send(socket, { event: name, ...(data === undefined ? {} : { data }), timestamp: { seconds, microseconds: 0 } });
    },
    close() {
      for (const socket of clients) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

// How fake-qemu.js behaves, given through the environment of the process that starts it.
export interface FakeQemuBehaviour {
  status?: string; // FAKE_QEMU_STATUS: what query-status reports
  stderr?: string; // FAKE_QEMU_STDERR: printed at start, as QEMU prints a KVM error
  silent?: boolean; // FAKE_QEMU_QMP=silent: QMP connections get no greeting
  acpi?: boolean; // FAKE_QEMU_ACPI=1: the guest powers off (the process exits) on system_powerdown
  stubborn?: boolean; // FAKE_QEMU_STUBBORN=1: quit and SIGTERM are ignored; only SIGKILL ends it
  // FAKE_QEMU_ABORT=1: QMP hangs up on every client, then QEMU dies of SIGABRT 0.2 s later (KVM refusing the vCPU)
  abort?: boolean;
}

export const fakeQemuScript = fileURLToPath(new URL('./fake-qemu.js', import.meta.url));

// Sets the behaviour in this process's environment (children inherit it); returns the undo.
export function fakeQemuEnv(behaviour: FakeQemuBehaviour): () => void {
  const vars: Record<string, string | undefined> = {
    FAKE_QEMU_NODE: process.execPath,
    FAKE_QEMU_SCRIPT: fakeQemuScript,
    ...fakeQemuVars(behaviour),
  };
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const set = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  set(vars);
  return () => set(before);
}

// The environment that makes fake-qemu.js behave so.
export function fakeQemuVars({
  status,
  stderr,
  silent,
  acpi,
  stubborn,
  abort,
}: FakeQemuBehaviour): Record<string, string | undefined> {
  return {
    FAKE_QEMU_STATUS: status,
    FAKE_QEMU_STDERR: stderr,
    FAKE_QEMU_QMP: silent ? 'silent' : undefined,
    FAKE_QEMU_ACPI: acpi ? '1' : undefined,
    FAKE_QEMU_STUBBORN: stubborn ? '1' : undefined,
    FAKE_QEMU_ABORT: abort ? '1' : undefined,
  };
}

// An executable qemu-system-fake in `dir`, for code that takes a QEMU path (the accelerator
// probe). Its one line is constant: the values come from fakeQemuEnv.
export function writeFakeQemu(dir: string): string {
  const exe = join(dir, 'qemu-system-fake');
  writeFileSync(exe, '#!/bin/sh\nexec "$FAKE_QEMU_NODE" "$FAKE_QEMU_SCRIPT" "$@"\n', { mode: 0o755 });
  return exe;
}
