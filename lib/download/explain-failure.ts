// A failed download as a KubenetError a user can act on: what failed (the URL, never a mirror's
// password), why, and what to try next. Ctrl-C is "interrupted", a full disk is the host's
// problem (not a reason to "run again"), and a server that breaks the protocol is named as such.
import { ExitCode, KubenetError, fromSystemError } from '../errors.js';
import { isFolderMirror, mirrorBase, shownUrl } from './source-url.js';
import { TransferError } from './http/transfer-error.js';

export interface FailureContext {
  url: URL; // what was fetched
  file: string; // the file name under images/
  mirror?: string;
  signal?: AbortSignal; // the user's: aborted means Ctrl-C
  lost?: AbortSignal; // the lock's: aborted means another kubenet took it over
  partial?: string; // its path
  kept?: { offset: number; total?: number }; // what it holds, when there is one
}

export const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;

export async function explainingFailure<T>(context: FailureContext, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw explain(error, context);
  }
}

function explain(error: unknown, { url, file, mirror, signal, lost, partial, kept }: FailureContext): unknown {
  if (signal?.aborted) {
    const at = kept && kept.offset > 0 ? ` at ${mib(kept.offset)}` : '';
    return new KubenetError(`download of ${shownUrl(url)} interrupted${at}`, {
      code: ExitCode.interrupted,
      cause: error,
      hint: 'Run the same command again: the download resumes where it stopped.',
    });
  }
  if (lost?.aborted) return lost.reason;
  const system = fromSystemError(error);
  if (system) {
    const { code, path } = error as NodeJS.ErrnoException;
    const where = !path && partial ? `: ${partial}` : ''; // a write on an open file names none
    const full = code === 'ENOSPC' || code === 'EDQUOT';
    return new KubenetError(`cannot write ${file}: ${system.message}${where}`, {
      code: system.code,
      cause: error,
      hint: full ? spaceHint(kept) : system.hint,
    });
  }
  if (!(error instanceof TransferError)) return error;
  if (error.reach && !error.proxy) {
    return new KubenetError(
      `cannot reach ${error.reach.host}: ${error.reach.why}${error.gaveUp ? `; ${error.gaveUp}` : ''}`,
      {
        code: ExitCode.download,
        cause: error,
        details: `  (fetching ${shownUrl(url)})`,
        hint: reachHint(error.reach, mirror),
      },
    );
  }
  return new KubenetError(`cannot download ${shownUrl(url)}: ${error.message}`, {
    code: ExitCode.download,
    cause: error,
    hint: failureHint(error, mirror),
  });
}

// A host that cannot be reached at all: what that says about this machine, and what helps.
export function reachHint(reach: NonNullable<TransferError['reach']>, mirror?: string): string {
  const what = {
    dns: `No address for ${reach.host}: this machine looks offline, or its DNS server does not answer.`,
    route: `No route to ${reach.host}: this machine is not on a network that reaches it.`,
    refused: `${reach.host} refused the connection: nothing listens on that port (down, or the wrong port).`,
    timeout: `${reach.host} never accepted the connection (down, or a firewall drops it).`,
  }[reach.how];
  const ways =
    'kubenet import FILE (an image you have, checked against the SHA256SUMS ' +
    'beside it); --offline (what images/ and the shared cache hold); --mirror ' +
    'BASE (a mirror you can reach); behind a proxy, https_proxy=http://HOST:PORT';
  if (mirror && !isFolderMirror(mirrorBase(mirror)))
    return (
      `${what} That is the mirror ${shownUrl(mirror)}: check it, or ` +
      `run without --mirror / KUBENET_MIRROR. What else helps: ${ways}.`
    );
  return `${what} What helps: ${ways}.`;
}

function spaceHint(kept: FailureContext['kept']): string {
  const need = kept?.total !== undefined ? `at least ${mib(kept.total - kept.offset)}` : 'some space';
  const have =
    kept && kept.offset > 0 ? `: the ${mib(kept.offset)} already downloaded are kept and the download resumes` : '';
  return `Free ${need} on that disk (or pass --images DIR on a roomier one), then run again${have}.`;
}

// What to try next after a download failed, by kind of failure.
export function failureHint(error: TransferError, mirror?: string): string {
  const via = mirror
    ? `the mirror ${shownUrl(mirror)} (or run without --mirror / KUBENET_MIRROR)`
    : 'the URL in a browser, or use --mirror BASE';
  if (error.proxy) return proxyHint(error, error.proxy);
  if (error.status === 404 && mirror && isFolderMirror(mirrorBase(mirror))) {
    return (
      `The mirror folder keeps upstream's files as BASE/HOST/PATH: fetch it there on a machine online (cd ` +
      `BASE && wget -x URL, for the file and its SHA256SUMS), or run without --mirror / KUBENET_MIRROR.`
    );
  }
  if (error.status === 404) return `The file is not there: upstream may have moved it. Check ${via}.`;
  if (error.status !== undefined && error.status >= 500)
    return `The server is failing. Try again later, or check ${via}.`;
  if (error.status !== undefined) return `The server refused the request. Check ${via}.`;
  if (/limit per download/.test(error.message))
    return (
      "The download kept moving but hit kubenet's limit per " +
      'artifact. Run again to resume: the bytes received are kept.'
    );
  if (/TLS handshake/.test(error.message))
    return (
      `An https URL that points at a plain-http port (or at a ` +
      `server with broken TLS) fails this way. Check ${via}.`
    );
  if (/redirects, starting at|refusing redirect|bad redirect/.test(error.message))
    return `The server redirected where kubenet will not follow (a loop, or https to plain http). Check ${via}.`;
  if (/stalled|no complete response head/.test(error.message))
    return 'The transfer stopped moving. Run again to resume, or try another network or --mirror BASE.';
  if (!error.retryable) return `The server sent a response that breaks HTTP; retrying would not help. Check ${via}.`;
  return (
    `Check the network (a proxy or firewall?) and run again to ` +
    `resume; or check ${via}. --offline uses cached files only.`
  );
}

// The proxy failed, not the server; `from` is the variable that named it.
function proxyHint(error: TransferError, from: string): string {
  const direct = 'no_proxy=HOST (or NO_PROXY) sends one host direct';
  if (error.status === 407 || error.status === 401)
    return (
      `Put the proxy's user name and password in ${from}: ` +
      `http://USER:PASSWORD@HOST:PORT (%-encode special characters).`
    );
  if (error.status === 403)
    return (
      `The proxy's rules do not let it reach that host or port (many allow ` +
      `CONNECT to port 443 only). Ask whoever runs it, or bypass it: ${direct}.`
    );
  if (error.status !== undefined && error.status >= 500)
    return 'The proxy could not reach the server. Run again later to resume.';
  if (error.status !== undefined)
    return `The proxy would not tunnel the connection. Check ${from}, or bypass it: ${direct}.`;
  if (!error.retryable)
    return `The proxy does not speak HTTP as kubenet expects. Check ${from}, or bypass it: ${direct}.`;
  if (/no answer to CONNECT/.test(error.message))
    return `The proxy took the connection and never answered. Check ${from}, or bypass it: ${direct}.`;
  return `Nothing answers at the proxy's address: check ${from} (or unset it to connect directly; ${direct}).`;
}
