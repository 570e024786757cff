// Splits a streamed watch body into lines of JSON. A line longer than the cap
// is reported as too long rather than buffered without bound.

/** One line from the stream: parsed JSON, or why it could not be parsed. */
export type NdjsonLine =
  | { ok: true; value: unknown }
  | {
      ok: false;
      reason: string;
      /** The stream ended in the middle of this line. */ isTruncated?: boolean;
    };

/** A single watch event this large is hostile or broken: 16 MiB. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

const NEWLINE = 0x0a;

/** Yields each non-empty line of `chunks`; stops after the first line that is too long. */
export async function* readNdjson(
  chunks: AsyncIterable<Buffer>,
  options: { maxLineBytes: number; onChunk?: () => void },
): AsyncGenerator<NdjsonLine> {
  let pending: Buffer[] = [];
  let pendingSize = 0;
  for await (const chunk of chunks) {
    options.onChunk?.();
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end >= 0; end = chunk.indexOf(NEWLINE, start)) {
      const line = Buffer.concat([...pending, chunk.subarray(start, end)]);
      pending = [];
      pendingSize = 0;
      start = end + 1;
      if (line.length > options.maxLineBytes) {
        yield tooLong(options.maxLineBytes);
        return;
      }
      if (line.length > 0) yield parseLine(line);
    }
    const rest = chunk.subarray(start);
    pendingSize += rest.length;
    if (pendingSize > options.maxLineBytes) {
      yield tooLong(options.maxLineBytes);
      return;
    }
    if (rest.length > 0) pending.push(rest);
  }
  // The API server ends every event with a newline: a partial last line means
  // the connection was cut, which the caller treats as a dropped watch.
  if (pendingSize > 0) yield { ok: false, reason: 'stream ended inside a line', isTruncated: true };
}

function parseLine(line: Buffer): NdjsonLine {
  try {
    return { ok: true, value: JSON.parse(line.toString('utf8')) };
  } catch {
    return { ok: false, reason: 'line is not valid JSON' };
  }
}

function tooLong(maxLineBytes: number): NdjsonLine {
  return { ok: false, reason: `line exceeds ${maxLineBytes} bytes` };
}
