// Deps run first, in topological order, each once even when several named tasks share them.
import { ExitCode, KubenetError } from '../errors.js';

export interface Node {
  name: string;
  deps: readonly string[];
}

export function executionOrder(roots: readonly string[], nodes: ReadonlyMap<string, Node>): string[] {
  const order: string[] = [];
  const done = new Set<string>();
  const path: string[] = [];

  const visit = (name: string) => {
    if (done.has(name)) return;
    const at = path.indexOf(name);
    if (at !== -1) {
      const cycle = [...path.slice(at), name].join(' → ');
      throw new KubenetError(`dependency cycle: ${cycle}`, {
        code: ExitCode.graph,
        hint: 'remove one of these deps from its task file',
      });
    }
    const node = nodes.get(name);
    if (!node) {
      const from = path.length ? `${path.join(' → ')} → ${name}` : name;
      throw new KubenetError(`unknown dependency "${name}" (${from})`, {
        code: ExitCode.graph,
        hint: 'fix the deps of the task that names it',
      });
    }
    path.push(name);
    for (const dep of node.deps) visit(dep);
    path.pop();
    done.add(name);
    order.push(name);
  };

  for (const root of roots) visit(root);
  return order;
}

// Every task in an order that respects deps, ties broken by name (for `kubenet list`).
export function fullOrder(nodes: ReadonlyMap<string, Node>): string[] {
  return executionOrder([...nodes.keys()].sort(), nodes);
}
