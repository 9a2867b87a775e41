// The task graph: the built-in tasks and the user's own (a tasks/ folder in the working
// directory, or --tasks DIR). Names come from the discovered files; a module is imported only
// when a command needs it, so `kubenet run 00-qemu` loads one task file.
import { basename, extname, join } from 'node:path';
import { ExitCode, KubenetError } from '../errors.js';
import { executionOrder, fullOrder } from './task-order.js';
import type { Download, Task } from '../task/types.js';
import { discoverTaskFiles } from './discover.js';
import { importTaskFile } from './import-task-file.js';

export interface TaskFolder {
  dir: string;
  builtIn: boolean;
}

export class Registry {
  private readonly loaded = new Map<string, Task>();

  private constructor(private readonly files: Map<string, { path: string; builtIn: boolean }>) {}

  static async open(folders: readonly TaskFolder[], manifest?: { path: string; root: string }): Promise<Registry> {
    const found = await discoverTaskFiles(
      folders.map((f) => f.dir),
      manifest,
    );
    const files = new Map<string, { path: string; builtIn: boolean }>();
    for (const folder of folders) {
      for (const file of found.get(folder.dir) ?? []) {
        const name = basename(file, extname(file));
        const other = files.get(name);
        if (other) {
          throw new KubenetError(`two task files are named ${name}: ${other.path} and ${join(folder.dir, file)}`, {
            code: ExitCode.graph,
            hint: other.builtIn
              ? `${name} is one of kubenet's own tasks: give yours another name (e.g. 04-my-step)`
              : 'rename one of them',
          });
        }
        files.set(name, { path: join(folder.dir, file), builtIn: folder.builtIn });
      }
    }
    return new Registry(files);
  }

  get names(): string[] {
    return [...this.files.keys()].sort();
  }

  has = (name: string): boolean => this.files.has(name);
  isBuiltIn = (name: string): boolean => this.files.get(name)?.builtIn ?? false;

  async load(name: string): Promise<Task> {
    const cached = this.loaded.get(name);
    if (cached) return cached;
    const file = this.files.get(name);
    if (!file)
      throw new KubenetError(`unknown task "${name}"`, { code: ExitCode.graph, hint: 'kubenet list shows every task' });
    const task = await importTaskFile(file.path, file.builtIn);
    if (task.name !== name) {
      throw new KubenetError(`${file.path} declares the task ${task.name}: a task file is named after its task`, {
        code: ExitCode.graph,
        hint: `rename the file to ${task.name}${extname(file.path)}, or the task to ${name}`,
      });
    }
    this.loaded.set(name, { ...task, source: file.path });
    return this.loaded.get(name)!;
  }

  // The tasks to run for these roots, deps first, each once.
  async plan(roots: readonly string[]): Promise<Task[]> {
    const nodes = new Map<string, Task>();
    const pending = [...roots];
    while (pending.length) {
      const name = pending.pop()!;
      if (nodes.has(name) || !this.files.has(name)) continue;
      const task = await this.load(name);
      nodes.set(name, task);
      pending.push(...task.deps);
    }
    return executionOrder(roots, nodes).map((n) => nodes.get(n)!);
  }

  async all(): Promise<Task[]> {
    const nodes = new Map<string, Task>();
    for (const name of this.names) nodes.set(name, await this.load(name));
    return fullOrder(nodes).map((n) => nodes.get(n)!);
  }

  // Every download a step of these tasks needs (all tasks by default), each once.
  async downloads(tasks?: readonly Task[]): Promise<Download[]> {
    const out = new Map<string, Download>();
    for (const task of tasks ?? (await this.all())) {
      for (const step of task.steps)
        for (const need of step.needs ?? []) if (typeof need !== 'string') out.set(need.name, need);
    }
    return [...out.values()];
  }
}
