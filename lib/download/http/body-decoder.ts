// HTTP/1.1 body framing (RFC 9112 §6): Content-Length, chunked, or until the server closes.
// Fed raw socket bytes, it hands body bytes to `emit` and reports when the body is complete.
export type Framing = { kind: 'length'; length: number } | { kind: 'chunked' } | { kind: 'close' } | { kind: 'none' };

export class BodyDecoder {
  done: boolean;
  private remaining: number; // length mode: body bytes left; chunked: bytes left in this chunk
  private state: 'size' | 'data' | 'data-end' | 'trailer' = 'size';
  private line = '';

  constructor(
    readonly framing: Framing,
    private readonly emit: (chunk: Buffer) => void,
  ) {
    this.remaining = framing.kind === 'length' ? framing.length : 0;
    this.done = framing.kind === 'none' || (framing.kind === 'length' && framing.length === 0);
  }

  // Length mode: how many body bytes have not arrived yet.
  get remainingBytes(): number {
    return this.remaining;
  }

  // Bytes after the end of the body are ignored: every request is Connection: close.
  push(bytes: Buffer): void {
    if (this.done || bytes.length === 0) return;
    if (this.framing.kind === 'close') return this.emit(bytes);
    if (this.framing.kind === 'length') {
      const take = Math.min(this.remaining, bytes.length);
      this.remaining -= take;
      this.emit(bytes.subarray(0, take));
      this.done = this.remaining === 0;
      return;
    }
    this.pushChunked(bytes);
  }

  private pushChunked(bytes: Buffer): void {
    let at = 0;
    while (at < bytes.length && !this.done) {
      if (this.state === 'data') {
        const take = Math.min(this.remaining, bytes.length - at);
        this.emit(bytes.subarray(at, at + take));
        at += take;
        this.remaining -= take;
        if (this.remaining === 0) this.state = 'data-end';
        continue;
      }
      const newline = bytes.indexOf(10, at);
      const end = newline === -1 ? bytes.length : newline;
      this.line += bytes.toString('latin1', at, end);
      if (this.line.length > 4096) throw new Error('malformed chunked body: line too long');
      at = end + (newline === -1 ? 0 : 1);
      if (newline === -1) break;
      const line = this.line.replace(/\r$/, '');
      this.line = '';
      if (this.state === 'data-end') {
        if (line !== '') throw new Error('malformed chunked body: missing CRLF after chunk');
        this.state = 'size';
      } else if (this.state === 'size') {
        const size = Number.parseInt(line.split(';')[0]!.trim(), 16);
        if (!Number.isFinite(size) || size < 0) throw new Error(`malformed chunked body: bad chunk size "${line}"`);
        if (size === 0) this.state = 'trailer';
        else {
          this.remaining = size;
          this.state = 'data';
        }
      } else if (line === '') this.done = true; // end of trailers
    }
  }
}

// Throws on a Content-Length that frames nothing (RFC 9112 §6.3: an unrecoverable error).
export function framingOf(status: number, headers: Record<string, string>, method: string): Framing {
  if (method === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200)) return { kind: 'none' };
  if (/\bchunked\b/i.test(headers['transfer-encoding'] ?? '')) return { kind: 'chunked' };
  const length = headers['content-length'];
  if (length === undefined) return { kind: 'close' };
  return { kind: 'length', length: contentLength(length) };
}

// "N", or a list of the same N ("N, N": repeated fields, which RFC 9112 §6.3 lets a recipient
// read as N). Anything else — "abc", "5, 6", "-1", "" — is a malformed message.
export function contentLength(value: string): number {
  const values = new Set(value.split(',').map((v) => v.trim()));
  const [only] = values;
  if (values.size !== 1 || !/^\d{1,15}$/.test(only!)) throw new Error(`malformed Content-Length "${value}"`);
  return Number(only);
}
