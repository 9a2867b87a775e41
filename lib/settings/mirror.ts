// A mirror setting, checked once when settings are made (the rules live with the downloads that
// use it: lib/download/source-url.ts). Its credentials (user:pass@) never appear in a message; a
// folder mirror given as a relative path is made absolute against `cwd`.
import { mirrorBase } from '../download/source-url.js';

export const normalizeMirror = (value: string, from: string, cwd: string): string => mirrorBase(value, from, cwd).href;
