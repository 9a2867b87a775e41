// Where kubenet is not the guide, by design, and the check that nothing else differs. A step's
// guide commands (from the guide's text) and kubenet's are compared in order, token for token,
// after the step's named differences: every difference must take effect (a stale one fails),
// except a token alternative, which says why it may not.
import type { Edition } from '../../lib/host/types.js';
import { argvLine, type Recorded } from './guide-record.js';

export type Difference =
  | { kind: 'not-run'; match: string | RegExp; why: string } // a guide command kubenet does not run
  | { kind: 'own'; match: string | RegExp; input?: string; why: string } // kubenet's, not the guide's
  | { kind: 'rewrite'; why: string; apply(argv: string[]): string[] } // the guide's command as kubenet words it
  // a word kubenet may print otherwise
  | { kind: 'token'; guide: string; kubenet: RegExp; why: string; optional: string };

export interface StepText {
  key: string; // kubenet's step number, or name for an unnumbered step; "ssh" for vmsshall.sh
  guide: Recorded[]; // the guide's commands, from its text
  differences: Difference[];
  vms?: string[]; // plan only these VMs (the guide runs vmlaunch.sh 0)
  only?: Edition; // a step of the other edition only: `guide` is that edition's step on this host
}

export const notRun = (match: string | RegExp, why: string): Difference => ({ kind: 'not-run', match, why });
export const rewrite = (why: string, apply: (argv: string[]) => string[]): Difference => ({
  kind: 'rewrite',
  why,
  apply,
});
export const own = (match: string | RegExp, why: string, input?: string): Difference => ({
  kind: 'own',
  match,
  why,
  ...(input === undefined ? {} : { input }),
});

const shown = (r: Recorded) => `  ${argvLine(r)}${r.input ? ` <<< ${JSON.stringify(r.input)}` : ''}`;
const listed = (rs: Recorded[]) => rs.map(shown).join('\n') || '  (none)';

// What does not match in one step, or nothing.
export function mismatch(step: StepText, kubenet: Recorded[]): string | undefined {
  const matches = (m: string | RegExp, r: Recorded) =>
    typeof m === 'string' ? argvLine(r) === m : m.test(argvLine(r));
  const used = new Set<Difference>();
  const dropped = (kind: 'not-run' | 'own') => (r: Recorded) => {
    const d = step.differences.find(
      (x) =>
        x.kind === kind && matches(x.match, r) && (x.kind !== 'own' || x.input === undefined || x.input === r.input),
    );
    if (d) used.add(d);
    return !d;
  };
  let guide = step.guide.filter(dropped('not-run'));
  const ours = kubenet.filter(dropped('own'));
  for (const d of step.differences) {
    if (d.kind !== 'rewrite') continue;
    guide = guide.map((r) => {
      const argv = d.apply(r.argv);
      if (argv.join('\0') !== r.argv.join('\0')) used.add(d);
      return { ...r, argv };
    });
  }
  const tokens = step.differences.filter((d): d is Extract<Difference, { kind: 'token' }> => d.kind === 'token');
  const sameWord = (g: string, k: string) => {
    if (g === k) return true;
    const t = tokens.find((x) => x.guide === g && x.kubenet.test(k));
    if (t) used.add(t);
    return Boolean(t);
  };
  const same = (g: Recorded, k: Recorded) =>
    g.input === k.input && g.argv.length === k.argv.length && g.argv.every((w, i) => sameWord(w, k.argv[i]!));
  const problems: string[] = [];
  if (guide.length !== ours.length || !guide.every((g, i) => same(g, ours[i]!))) {
    problems.push(`the guide's commands (after the differences named):\n${listed(guide)}\nkubenet's:\n${listed(ours)}`);
  }
  for (const d of step.differences) {
    if (!used.has(d) && d.kind !== 'token')
      problems.push(`a named difference took no effect (the guide or kubenet changed): ${d.why}`);
  }
  return problems.length ? `step ${step.key}: ${problems.join('\n')}` : undefined;
}
