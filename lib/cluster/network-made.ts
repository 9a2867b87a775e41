// What kubenet made of the cluster network, kept in images/network/made.json (networkFiles.made):
// the bridge it added (by name and the interface index the kernel gave it, so a bridge of the same
// name made later by someone else is not taken for it) and whether it made the KUBENET_NAT chain.
// A bridge or chain that was there before is the user's — the guide's persistent set-up, or made
// by hand — and kubenet uses it when it fits, never changes or deletes it; reset removes only
// what it made.

export interface NetworkMade {
  bridge?: { name: string; ifindex: number };
  chain?: boolean;
}

export function readMade(text: string | undefined): NetworkMade {
  if (!text) return {};
  try {
    const value = JSON.parse(text) as NetworkMade;
    const bridge =
      value.bridge && typeof value.bridge.name === 'string' && typeof value.bridge.ifindex === 'number'
        ? { bridge: value.bridge }
        : {};
    return { ...bridge, ...(value.chain === true ? { chain: true } : {}) };
  } catch {
    return {};
  }
}

export const writeMade = (made: NetworkMade): string => `${JSON.stringify(made, null, 2)}\n`;

// The interface index of a link, from `ip -j link show dev NAME`.
export function ifindexOf(output: { exitCode: number; stdout: string }): number | undefined {
  if (output.exitCode !== 0) return undefined;
  try {
    const index = (JSON.parse(output.stdout) as { ifindex?: number }[])[0]?.ifindex;
    return typeof index === 'number' ? index : undefined;
  } catch {
    return undefined;
  }
}

// What this run (this process) made, so a later failure in the same run can undo it: a run that
// stops half-way leaves the host as it found it.
const madeNow = new Set<'bridge' | 'chain' | 'forwarding'>();
export const noteMadeNow = (what: 'bridge' | 'chain' | 'forwarding'): void => void madeNow.add(what);
export const wasMadeNow = (what: 'bridge' | 'chain' | 'forwarding'): boolean => madeNow.has(what);
export const forgetMadeNow = (): void => madeNow.clear();
