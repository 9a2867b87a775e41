// GET that follows HTTP redirects, as mirrors and download redirectors use them.
// The same request headers go to every hop: a redirector ignores Range / If-Range / If-None-Match,
// and the server at the end evaluates them against its own validators — the ones the previous
// response from that final URL recorded. An https start never continues over plain http: a plain
// http hop is only followed when the request already started there (a mirror the user named as http).
import { httpGet, type GetOptions, type HttpResponse } from './client.js';
import { shownUrl } from '../source-url.js';
import { fromStatus, restated, TransferError } from './transfer-error.js';

export const maxRedirects = 5;
const redirectStatuses = new Set([301, 302, 303, 307, 308]);

export async function httpGetFollowing(url: URL, options: GetOptions): Promise<HttpResponse> {
  let current = url;
  let previous: URL | undefined;
  for (let hops = 0; ; hops++) {
    const response = await httpGet(current, options).catch((error: unknown) => {
      throw previous && error instanceof TransferError ? redirected(error, previous) : error;
    });
    if (!redirectStatuses.has(response.status)) return response;
    response.close();
    if (hops === maxRedirects) {
      throw new TransferError(
        `more than ${maxRedirects} redirects, starting at ${shownUrl(url)} (last: ${shownUrl(current)})`,
        { retryable: false },
      );
    }
    previous = current;
    current = redirectTarget(current, response.headers.location, url, response.status);
  }
}

// A hop's failure names where the redirect came from: the user only ever named that URL.
function redirected(error: TransferError, from: URL): TransferError {
  return restated(error, `${error.message} (redirected from ${shownUrl(from)})`, error.cause ?? error);
}

// Where a redirect from `from` leads; `start` is where the request began (for the downgrade rule).
export function redirectTarget(from: URL, location: string | undefined, start: URL, status: number): URL {
  if (!location) throw fromStatus(status, from); // a 3xx without Location cannot be followed
  let next: URL;
  try {
    next = new URL(location, from); // relative Location (RFC 9110 §10.2.2)
  } catch (cause) {
    throw new TransferError(`bad redirect Location "${shownUrl(location)}" from ${shownUrl(from)}`, {
      retryable: false,
      cause,
    });
  }
  if (next.protocol !== 'https:' && next.protocol !== 'http:') {
    throw new TransferError(`refusing redirect from ${shownUrl(from)} to ${shownUrl(next)}: not http(s)`, {
      retryable: false,
    });
  }
  if (next.protocol === 'http:' && start.protocol === 'https:') {
    throw new TransferError(`refusing redirect from ${shownUrl(from)} to plain-http ${shownUrl(next)}`, {
      retryable: false,
    });
  }
  next.hash = '';
  return next;
}
