// The stdio transport, with the framing checked before vscode-jsonrpc reads it. Its reader drops a
// header block without a usable Content-Length and then misreads everything after it (the body that
// followed becomes the start of the next "header"), so one malformed message would leave the server
// up but deaf. Here such a header is logged and skipped up to the next `Content-Length:`, and the
// messages after it are answered.

import { Transform, TransformCallback } from 'node:stream';

const HEADER_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /^content-length:[ \t]*(\d+)[ \t]*$/im;
const RESYNC = [Buffer.from('Content-Length:'), Buffer.from('content-length:')];
/** A header block longer than this is not one: resynchronise instead of buffering for ever. */
const MAX_HEADER = 64 * 1024;

export class FramingGuard extends Transform {
  private buffer: Buffer = Buffer.alloc(0);
  /** Bytes of the current message's body still to pass through. */
  private body = 0;
  private skipping = false;

  constructor(private readonly log: (message: string) => void) {
    super();
  }

  _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    this.drain();
    done();
  }

  private drain(): void {
    while (this.buffer.length > 0) {
      if (this.body > 0) {
        // Bodies pass through as they arrive (a 10 MB document is not re-buffered chunk after chunk).
        const n = Math.min(this.body, this.buffer.length);
        this.push(this.buffer.subarray(0, n));
        this.buffer = this.buffer.subarray(n);
        this.body -= n;
        continue;
      }
      if (this.skipping) {
        const next = Math.min(...RESYNC.map((marker) => this.buffer.indexOf(marker)).map((i) => (i === -1 ? Infinity : i)));
        if (next === Infinity) {
          // Keep what could be the start of a marker split across chunks.
          this.buffer = this.buffer.subarray(Math.max(0, this.buffer.length - RESYNC[0].length));
          return;
        }
        this.buffer = this.buffer.subarray(next);
        this.skipping = false;
      }
      const end = this.buffer.indexOf(HEADER_END);
      if (end === -1) {
        if (this.buffer.length > MAX_HEADER) this.reject(this.buffer.length, 'no end of header');
        return;
      }
      const header = this.buffer.subarray(0, end).toString('ascii');
      const length = CONTENT_LENGTH.exec(header);
      if (!length) {
        this.reject(end + HEADER_END.length, `a header without a valid Content-Length (${JSON.stringify(header.slice(0, 200))})`);
        continue;
      }
      this.push(this.buffer.subarray(0, end + HEADER_END.length));
      this.buffer = this.buffer.subarray(end + HEADER_END.length);
      this.body = Number(length[1]);
    }
  }

  private reject(bytes: number, why: string): void {
    this.log(`prodready: ignored a malformed message: ${why}; reading on from the next Content-Length header`);
    this.buffer = this.buffer.subarray(bytes);
    this.skipping = true;
  }
}

/** Standard input as the language server reads it: through the framing guard. */
export function guardedStdin(log: (message: string) => void): NodeJS.ReadableStream {
  return process.stdin.pipe(new FramingGuard(log));
}
