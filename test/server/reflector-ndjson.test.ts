import { describe, expect, it } from 'vitest';
import { readNdjson, type NdjsonLine } from '../../src/server/kube/ndjson';

async function linesOf(chunks: string[], maxLineBytes = 1024): Promise<NdjsonLine[]> {
  async function* source() {
    for (const chunk of chunks) yield Buffer.from(chunk);
  }
  const lines: NdjsonLine[] = [];
  for await (const line of readNdjson(source(), { maxLineBytes })) lines.push(line);
  return lines;
}

describe('readNdjson', () => {
  it('joins a line split across chunks and splits several lines in one chunk', async () => {
    expect(await linesOf(['{"a":', '1}\n{"b":2}\n{"c"', ':3}\n'])).toEqual([
      { ok: true, value: { a: 1 } },
      { ok: true, value: { b: 2 } },
      { ok: true, value: { c: 3 } },
    ]);
  });

  it('skips blank lines', async () => {
    expect(await linesOf(['\n\n{"a":1}\n\n'])).toEqual([{ ok: true, value: { a: 1 } }]);
  });

  it('reports a line that is not JSON and goes on', async () => {
    expect(await linesOf(['nope\n{"a":1}\n'])).toEqual([
      { ok: false, reason: 'line is not valid JSON' },
      { ok: true, value: { a: 1 } },
    ]);
  });

  it('stops at a line longer than the cap, even before its newline arrives', async () => {
    expect(await linesOf(['{"a":"', 'x'.repeat(2000), '"}\n{"b":1}\n'])).toEqual([
      { ok: false, reason: 'line exceeds 1024 bytes' },
    ]);
  });

  it('reports a last line cut off by the end of the stream as truncated', async () => {
    expect(await linesOf(['{"a":1}\n{"b":'])).toEqual([
      { ok: true, value: { a: 1 } },
      { ok: false, reason: 'stream ended inside a line', isTruncated: true },
    ]);
  });
});
