// Kinds that are words: a choice among a few, yes or no, a list of VMs, what a console must show.
import { type Kind, usage } from './kind.js';

// A word taken as it is (a step's number or name: the task graph knows which exist).
export const word = (shown: string, complete?: Kind<string>['complete']): Kind<string> => ({
  word: shown,
  ...(complete ? { complete } : {}),
  parse: (text) => text,
});

export const choice = <T extends string>(shown: string, values: readonly T[]): Kind<T> => ({
  word: shown,
  complete: values,
  parse(text, at) {
    if ((values as readonly string[]).includes(text)) return text as T;
    throw usage(`${at.name} ${text} is not one of: ${values.join(', ')}`, `e.g. ${values[0]}`);
  },
});

// On or off, written as text (KUBENET_OFFLINE=1): only these words, so a typo is no silent "no".
// On the command line it is a flag, and kubenet.yaml says true or false.
export const onOff: Kind<boolean> = {
  word: '',
  parse(text, at) {
    if (/^(1|true|yes|on)$/i.test(text)) return true;
    if (/^(0|false|no|off)$/i.test(text)) return false;
    const hint = `${at.name}=1 (or true, yes, on) turns it on; 0 (false, no, off) or unset turns it off`;
    throw usage(`${at.name}=${text} is not yes or no`, hint);
  },
};

// VMs by name or id, comma-separated (--vm worker0,5): the step that does them knows which exist.
export const vmList: Kind<string[]> = {
  word: 'VM',
  parse(text, at) {
    const vms = text
      .split(',')
      .map((w) => w.trim())
      .filter(Boolean);
    if (vms.length) return vms;
    throw usage(`${at.name} ${JSON.stringify(text)} names no VM`, 'names or ids, comma-separated: worker0,5');
  },
};

// What a boot waits for: `ssh` (until kubenet ssh -- true works), or a regular expression the
// serial console must match.
export type ConsoleWait = 'ssh' | RegExp;
export const consoleWait: Kind<ConsoleWait> = {
  word: 'REGEX',
  complete: ['ssh'],
  parse(text, at) {
    if (text === 'ssh') return 'ssh';
    try {
      return new RegExp(text);
    } catch (cause) {
      throw usage(`${at.name} ${text} is not a regular expression`, 'e.g. --until "login:", or --until ssh', cause);
    }
  },
};
