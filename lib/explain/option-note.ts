// One explained option: what it does, why the guide uses it, and the longer spellings of the
// same thing the guide mentions. `what` may read the option's value (`virt,accel=hvf`).
export interface OptionNote {
  what: string | ((value: string) => string);
  why: string;
  longForms?: string[];
}

export const describe = (note: OptionNote, value: string): string =>
  typeof note.what === 'function' ? note.what(value) : note.what;
