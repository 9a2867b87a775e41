// Kinds that name a place: a file or a folder, made absolute against where it was given (the
// working folder, or kubenet.yaml's folder), and the shared cache's folder (or off). The places
// that may be URLs are settings' own (settings/url-kinds.ts): their rules live with the downloads.
import { isAbsolute, resolve } from 'node:path';
import type { Kind } from './kind.js';

// An absolute path stays as written; a relative one is resolved against where it was given.
export const place = (text: string, base: string): string => (isAbsolute(text) ? text : resolve(base, text));

export const file: Kind<string> = { word: 'FILE', complete: 'files', parse: (text, at) => place(text, at.base) };
export const folder: Kind<string> = { word: 'DIR', complete: 'dirs', parse: (text, at) => place(text, at.base) };

// The shared download cache's folder, or 'off'.
export const cacheFolder: Kind<string> = {
  ...folder,
  parse: (text, at) => (text === 'off' ? 'off' : place(text, at.base)),
};
