// A command's own options, each value parsed once by its kind into what the command receives
// (--timeout 600 → 600, --until ssh → 'ssh', --vm a,b → ['a', 'b']). Settings are parsed with the
// environment and kubenet.yaml instead (settings.ts), where the value that wins is known.
import { isSetting } from '../settings/setting-kinds.js';
import { type CommandName, type OptionsOf, specOf } from './option-specs.js';
import type { OptionValues } from './parse-command-line.js';

export function commandOptions<C extends CommandName>(
  command: C,
  values: OptionValues,
  cwd = process.cwd(),
): OptionsOf<C> {
  const specs = specOf(command)!.options;
  const typed: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || isSetting(name) || name === 'no-cache') continue;
    typed[name] = typeof value === 'boolean' ? value : specs[name]!.kind.parse(value, { name: `--${name}`, base: cwd });
  }
  return typed as OptionsOf<C>;
}
