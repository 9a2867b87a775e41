// What to try next after a download failed, by kind of failure.
import type { TransferError } from './transfer-error.js';

export function failureHint(error: TransferError, mirror?: string): string {
  const via = mirror ? `the mirror ${mirror} (or run without --mirror / KUBENET_MIRROR)` : 'the URL in a browser, or use --mirror BASE';
  if (error.status === 404) return `The file is not there: upstream may have moved it. Check ${via}.`;
  if (error.status !== undefined && error.status >= 500) return `The server is failing. Try again later, or check ${via}.`;
  if (error.status !== undefined) return `The server refused the request. Check ${via}.`;
  if (/redirect/.test(error.message)) return `The server redirected where kubenet will not follow (a loop, or https to plain http). Check ${via}.`;
  if (/stalled/.test(error.message)) return 'The transfer stopped moving. Run again to resume, or try another network or --mirror BASE.';
  return `Check the network (a proxy or firewall?) and run again to resume; or check ${via}. --offline uses cached files only.`;
}
