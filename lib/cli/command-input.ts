// What every command is given: the words of its line, its own options typed, the settings made
// from the rest, and the task graph.
import type { Profile } from '../host/types.js';
import type { Paths } from '../paths.js';
import type { Registry } from '../runner/registry.js';
import type { Settings } from '../settings/settings.js';
import type { CommandName, OptionsOf } from './option-specs.js';
import type { CommandLine } from './parse-command-line.js';

export interface CommandInput<C extends CommandName = CommandName> {
  line: Pick<CommandLine, 'command' | 'words' | 'rest'>; // the option values are in `options` and `settings`
  options: OptionsOf<C>;
  settings: Settings;
  paths: Paths;
  profile: Profile;
  graph: Registry;
}

export type CommandFn<C extends CommandName = CommandName> = (input: CommandInput<C>) => Promise<number>;
