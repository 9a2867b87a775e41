// Hints name the command the way the user ran it: `npx kubenet …` through npx (kubenet is then not
// on PATH), else `kubenet …`. KUBENET_CLI overrides it (e.g. for a shell alias).
import { commandNames } from './option-specs.js';

export function cliName(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KUBENET_CLI) return env.KUBENET_CLI;
  if (env.npm_lifecycle_event === 'npx' && /^kubenet\b/.test(env.npm_lifecycle_script ?? '')) return 'npx kubenet';
  return 'kubenet';
}

const mention = new RegExp(`(^|[\\s(\`'"])kubenet (?=(?:${commandNames.join('|')}|--help)\\b)`, 'gm');

// Every "kubenet <command>" in a text, spoken as the user ran kubenet.
export function speak(text: string, name = cliName()): string {
  return name === 'kubenet' ? text : text.replace(mention, `$1${name} `);
}
