// Hints name the command the way the user ran it: `npx kubenet …` through npx (kubenet is then not
// on PATH), else `kubenet …`. KUBENET_CLI overrides it (e.g. for a shell alias).
import { commandNames } from './option-specs.js';

export function cliName(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KUBENET_CLI) return env.KUBENET_CLI;
  if (env.npm_lifecycle_event === 'npx' && /^kubenet\b/.test(env.npm_lifecycle_script ?? '')) return 'npx kubenet';
  return 'kubenet';
}

const mention = new RegExp(`(^|[\\s(\`'"])kubenet (?=(?:${commandNames.join('|')}|--help)\\b)`, 'gm');

// Every "kubenet <command>" in a text, spoken as the user ran kubenet; what is spoken already
// stays as it is (npx kubenet run is not made npx npx kubenet run).
export function speak(text: string, name = cliName()): string {
  if (name === 'kubenet') return text;
  const before = name.slice(0, name.lastIndexOf('kubenet'));
  return text.replace(mention, (whole: string, lead: string, at: number, all: string) =>
    before && all.slice(Math.max(0, at + lead.length - before.length), at + lead.length) === before
      ? whole
      : `${lead}${name} `,
  );
}

// Everything this process writes to its terminal (or pipe) speaks as the user ran kubenet: one
// place, so no hint of any command, note, error or help text can be left saying `kubenet …`
// under npx. Bytes (a VM's console) pass as they are.
export function speakThrough(stream: NodeJS.WriteStream, name = cliName()): void {
  if (name === 'kubenet') return;
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) =>
    write(typeof chunk === 'string' ? speak(chunk, name) : chunk, ...rest)) as typeof stream.write;
}
