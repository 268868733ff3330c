import { Transform } from "node:stream";

/**
 * A pass-through that sends on as one chunk everything written to it in the same turn of the
 * event loop; what is written in a later turn follows in a chunk of its own.
 *
 * Why: React's server renderer writes a page in pieces of about 2 KB, and each piece went on its
 * own through the web stream Remix answers with, Remix's Express adapter, `compression` and a
 * zlib call on the thread pool. A 130 KB dashboard was some 65 such round trips: about a seventh
 * of the page's CPU and most of the time between its first byte and its last (ADR 057). A page
 * without suspended parts is written in one turn, so it now goes as one chunk; a part that
 * resolves later (streamed HTML) still goes out as soon as it is written.
 */
export function coalescedStream(): Transform {
  let pieces: Uint8Array[] = [];
  let size = 0;
  let scheduled = false;
  const stream = new Transform({
    transform(chunk: Uint8Array, _encoding, done) {
      pieces.push(chunk);
      size += chunk.length;
      if (!scheduled) {
        scheduled = true;
        setImmediate(release);
      }
      done();
    },
    flush(done) {
      release();
      done();
    },
  });
  function release() {
    scheduled = false;
    if (!pieces.length) return;
    stream.push(pieces.length === 1 ? pieces[0] : Buffer.concat(pieces, size));
    pieces = [];
    size = 0;
  }
  return stream;
}
