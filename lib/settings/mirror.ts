// A mirror base URL, checked once: http(s), with a path kubenet can append HOST/PATH to. Its
// credentials (user:pass@) never appear in a message.
import { ExitCode, KubenetError } from '../errors.js';

export function normalizeMirror(value: string, from: string): string {
  let url: URL;
  try {
    url = new URL(value.endsWith('/') ? value : `${value}/`);
  } catch (cause) {
    throw new KubenetError(`${from} ${redact(value)} is not a URL`, { code: ExitCode.usage, cause, hint: 'e.g. --mirror https://mirror.example/kubenet/' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new KubenetError(`${from} ${redact(value)} is not an http(s) URL`, { code: ExitCode.usage, hint: 'a mirror is an http:// or https:// base URL laid out as BASE/HOST/PATH' });
  }
  if (url.search !== '' || url.hash !== '') {
    throw new KubenetError(`${from} ${redact(value)} has a ?query or #fragment`, { code: ExitCode.usage, hint: 'kubenet appends HOST/PATH to the mirror\'s path; give the base URL without ?… or #…' });
  }
  return url.href;
}

// user:pass@ → ***@, for messages.
export function redact(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1***@');
}
