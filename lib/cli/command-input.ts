// What every command is given: the parsed line, the settings made from it, and the task graph.
import type { Profile } from '../host/types.js';
import type { Paths } from '../paths.js';
import type { Registry } from '../runner/registry.js';
import type { Settings } from '../settings/settings.js';
import type { CommandLine } from './parse-command-line.js';

export interface CommandInput {
  line: CommandLine;
  settings: Settings;
  paths: Paths;
  profile: Profile;
  graph: Registry;
}

export type CommandFn = (input: CommandInput) => Promise<number>;
