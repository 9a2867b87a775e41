// QEMU's machine protocol (QMP) over the unix socket the builder adds with
// `-qmp unix:PATH,server=on,wait=off`: JSON lines, a greeting, then `qmp_capabilities`
// before any other command. kubenet uses it to ask a guest to power off, to quit QEMU
// cleanly (disks flushed) when the guest does not, and to notice a VM that QEMU has stopped.
import { createConnection, type Socket } from 'node:net';
import { ExitCode, KubenetError } from '../errors.js';

export interface QmpEvent {
  event: string;
  data?: unknown;
  timestamp?: { seconds: number; microseconds: number };
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class QmpClient {
  private buffer = '';
  private nextId = 1;
  private readonly pending = new Map<string, Pending>();
  private greeting: Pending | undefined;
  private closed = false;
  private readonly listeners = new Set<(event: QmpEvent) => void>();

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => this.receive(text));
    socket.on('error', () => undefined); // surfaces as 'close'
    socket.on('close', () => this.fail(new Error('QMP connection closed')));
  }

  // Connects, retrying while QEMU has not created the socket yet, and negotiates capabilities.
  // `signal` gives up early (QEMU exited meanwhile): retries must not outlive the run.
  static async connect(
    path: string,
    { timeoutMs = 5000, signal }: { timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<QmpClient> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const socket = await openSocket(path, Math.max(1, deadline - Date.now()));
        const client = new QmpClient(socket);
        try {
          await client.handshake(Math.max(1, deadline - Date.now()));
        } catch (error) {
          client.close();
          throw error;
        }
        return client;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const retry = (code === 'ENOENT' || code === 'ECONNREFUSED') && !signal?.aborted;
        if (!retry || Date.now() >= deadline) {
          throw new KubenetError(`cannot talk to QEMU over QMP at ${path}: ${(error as Error).message}`, {
            code: ExitCode.vm,
            cause: error,
            hint: 'check that QEMU is running and was started with -qmp unix:PATH,server=on,wait=off',
          });
        }
        await sleep(50);
      }
    }
  }

  // Runs one command and returns its `return` value; a QMP error becomes a KubenetError.
  execute<T = unknown>(command: string, args?: Record<string, unknown>): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`QMP connection closed before "${command}"`));
    const id = `kubenet-${this.nextId++}`;
    const message = args === undefined ? { execute: command, id } : { execute: command, arguments: args, id };
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.socket.write(`${JSON.stringify(message)}\n`);
    });
  }

  // Calls `listener` with every event QEMU sends from now on (STOP, SHUTDOWN, …); returns the
  // function that stops it.
  onEvent(listener: (event: QmpEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private async handshake(timeoutMs: number): Promise<void> {
    const greeted = new Promise<unknown>((resolve, reject) => (this.greeting = { resolve, reject }));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no QMP greeting within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([greeted, timeout]);
      await Promise.race([this.execute('qmp_capabilities'), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private receive(text: string): void {
    this.buffer += text;
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, newline).trim();
      this.buffer = this.buffer.slice(newline + 1);
      if (line !== '') this.dispatch(line);
    }
  }

  private dispatch(line: string): void {
    // biome-ignore lint/suspicious/noExplicitAny: QEMU's JSON, each field tested below before it is used
    let message: Record<string, any>;
    try {
      message = JSON.parse(line);
    } catch {
      return; // not JSON: ignore rather than break the session
    }
    if ('QMP' in message) {
      this.greeting?.resolve(message.QMP);
      this.greeting = undefined;
    } else if ('event' in message) {
      for (const listener of this.listeners) listener(message as QmpEvent);
    } else if (typeof message.id === 'string' && this.pending.has(message.id)) {
      const waiter = this.pending.get(message.id)!;
      this.pending.delete(message.id);
      if ('error' in message) {
        const { class: kind, desc } = message.error ?? {};
        waiter.reject(
          new KubenetError(`QEMU refused a QMP command: ${desc ?? 'unknown error'} (${kind})`, { code: ExitCode.vm }),
        );
      } else {
        waiter.resolve(message.return);
      }
    }
  }

  private fail(error: Error): void {
    this.closed = true;
    this.greeting?.reject(error);
    this.greeting = undefined;
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}

function openSocket(path: string, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connecting to ${path} timed out`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    });
  });
}

// A QMP answer, or an error once `ms` pass: a QEMU that is busy or wedged must not hang kubenet.
export function answerWithin<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
