// The settings that may name a URL: the live ISO (a file, or an https URL of one) and the mirror
// (a server or a folder), parsed by the rules the downloads use (download/source-url.ts); a
// password in a URL never appears in a message.
import { mirrorBase, shownUrl } from '../download/source-url.js';
import { type Kind, usage } from '../kinds/kind.js';
import { place } from '../kinds/places.js';

// A value with a scheme (https://…) names a URL, not a file.
export const isUrl = (value: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(value);

// A file (made absolute) or an https URL with a file name: what a download is verified against is
// the SHA256SUMS beside it (lib/download), so plain http is refused here as it is there.
export const fileOrHttps: Kind<string> = {
  word: 'FILE|URL',
  complete: 'files',
  parse(text, at) {
    if (!isUrl(text)) return place(text, at.base);
    let url: URL;
    try {
      url = new URL(text);
    } catch (cause) {
      const hint = 'Give a file (an ISO you have) or an https URL of one, with a SHA256SUMS beside it.';
      throw usage(`${at.name} ${shownUrl(text)} is not a URL`, hint, cause);
    }
    if (url.protocol !== 'https:' || url.pathname.endsWith('/')) {
      const hint =
        'Give a file you have, or an https URL of an ISO with a SHA256SUMS beside it' +
        ' (to use a plain-http server, name it with --mirror).';
      throw usage(`${at.name} ${shownUrl(text)} is not an https URL of a file`, hint);
    }
    return url.href;
  },
};

// A mirror's base URL: a server, or a folder as file:///DIR/.
export const mirror: Kind<string> = { word: 'BASE', parse: (text, at) => mirrorBase(text, at.name, at.base).href };
