// The task graph: names come from the discovered files, modules are imported only when needed.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ExitCode, KubenetError } from '../errors.js';
import { executionOrder, fullOrder } from '../graph/order.js';
import { resolveName } from '../graph/resolve-name.js';
import type { Task } from '../task.js';
import { discoverTaskFiles } from './discover.js';

export class Registry {
  private readonly loaded = new Map<string, Task>();

  private constructor(
    private readonly dir: string,
    private readonly files: Map<string, string>, // task name → file name
  ) {}

  static async open(dir: string): Promise<Registry> {
    const files = await discoverTaskFiles(dir);
    return new Registry(dir, new Map(files.map((f) => [f.replace(/\.js$/, ''), f])));
  }

  get names(): string[] {
    return [...this.files.keys()].sort();
  }

  resolve(query: string): string {
    return resolveName(query, this.names);
  }

  async load(name: string): Promise<Task> {
    const cached = this.loaded.get(name);
    if (cached) return cached;
    const file = this.files.get(name);
    if (!file) throw new KubenetError(`unknown task "${name}"`, { code: ExitCode.graph });
    const module = (await import(pathToFileURL(join(this.dir, file)).href)) as { default?: Task };
    const task = module.default;
    if (!task || task.name !== name) {
      throw new KubenetError(`${file} must export default defineTask({ name: '${name}', … })`, { code: ExitCode.graph });
    }
    this.loaded.set(name, task);
    return task;
  }

  // The tasks to run for these roots, deps first, each once.
  async plan(roots: string[]): Promise<Task[]> {
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
}
