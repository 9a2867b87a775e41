// Small timing helpers for benchmarks: alternate the contenders, report medians and ratios.
import { spawnSync } from 'node:child_process';

export function timeCommand(argv: string[], env?: NodeJS.ProcessEnv): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(argv[0]!, argv.slice(1), { stdio: 'ignore', env: env ?? process.env });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}`);
  return ms;
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

// Runs each contender `rounds` times, interleaved so machine noise hits both alike.
export function compare(contenders: Record<string, () => number>, rounds: number): Record<string, number> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
  for (let i = 0; i < rounds; i++) for (const [name, fn] of Object.entries(contenders)) samples[name]!.push(fn());
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}

export const ratioLine = (label: string, value: number, base: number, target: string) =>
  `${label}: ${value.toFixed(1)} ms vs ${base.toFixed(1)} ms → ${(value / base).toFixed(2)}× (target ${target})`;
