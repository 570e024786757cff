import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExpositionParser, parseExposition } from '../../src/server/metrics/parser';
import { WANTED_METRICS, readInstance } from '../../src/server/metrics/readings';

const reference =
  process.env.DECKHAND_CNPG_REFERENCE ??
  resolve(import.meta.dirname, '..', '..', '..', 'shared', 'cnpg-reference');

function sample(name: string): string {
  return readFileSync(resolve(reference, 'monitoring', name), 'utf8');
}

const wanted = (...names: string[]) => ({ wanted: new Set(names) });

describe('the exposition parser on CNPG documentation samples', () => {
  it('reads the collector sample: PostgreSQL is up and NaN WAL slots stay NaN', () => {
    const result = parseExposition(
      sample('exporter-sample-collector.prom'),
      wanted('cnpg_collector_up', 'cnpg_collector_pg_wal'),
    );

    expect(result.error).toBeUndefined();
    expect(result.families.get('cnpg_collector_up')).toEqual([
      { name: 'cnpg_collector_up', labels: { cluster: 'cluster-example' }, value: 1 },
    ]);
    const wal = result.families.get('cnpg_collector_pg_wal') ?? [];
    expect(wal.find((s) => s.labels.value === 'slots_max')?.value).toBeNaN();
    expect(wal.find((s) => s.labels.value === 'size')?.value).toBe(150994944);
    expect(result.types.get('cnpg_collector_up')).toBe('gauge');
  });

  it('reads the pg_replication sample into the replication numbers Deckhand shows', () => {
    const reading = readInstance(
      parseExposition(sample('exporter-sample-pg_replication.prom'), { wanted: WANTED_METRICS }),
    );

    expect(reading).toMatchObject({
      isReplica: false,
      replicationLagSeconds: 0,
      streamingReplicas: 2,
      isWalReceiverUp: false,
    });
    expect(reading.maxConnections).toBeUndefined();
  });

  it('gives the same result whatever size the chunks are', () => {
    const text = sample('exporter-sample-collector.prom');
    const whole = parseExposition(text, { wanted: WANTED_METRICS });
    for (const size of [1, 7, 100, 4096]) {
      const parser = new ExpositionParser({ wanted: WANTED_METRICS });
      for (let i = 0; i < text.length; i += size) parser.push(text.slice(i, i + size));
      expect(parser.end()).toEqual(whole);
    }
  });

  it('keeps nothing from families it was not asked for, but counts their samples', () => {
    const result = parseExposition(sample('exporter-sample-collector.prom'), wanted());
    expect(result.families.size).toBe(0);
    expect(result.sampleCount).toBeGreaterThan(50);
  });
});

describe('the exposition parser on tricky but valid text', () => {
  it('unescapes backslashes, quotes and newlines in label values', () => {
    const result = parseExposition(
      'm{a="back\\\\slash",b="say \\"hi\\"",c="two\\nlines",d="{,}="} 1\n',
      wanted('m'),
    );
    expect(result.families.get('m')?.[0]?.labels).toEqual({
      a: 'back\\slash',
      b: 'say "hi"',
      c: 'two\nlines',
      d: '{,}=',
    });
  });

  it('reads NaN, infinities, exponents and timestamps', () => {
    const text = [
      'm{k="nan"} NaN',
      'm{k="pos"} +Inf',
      'm{k="neg"} -Inf 1700000000000',
      'm{k="exp"} 1.5e+03',
    ].join('\n');
    const samples = parseExposition(text, wanted('m')).families.get('m') ?? [];
    expect(samples.map((s) => s.value)).toEqual([NaN, Infinity, -Infinity, 1500]);
    expect(samples[2]?.timestampMs).toBe(1700000000000);
  });

  it('keeps the last of duplicate series and counts the duplicates', () => {
    const result = parseExposition('m{a="1",b="2"} 1\nm{b="2",a="1"} 5\nm 3\n', wanted('m'));
    expect(result.families.get('m')?.map((s) => s.value)).toEqual([5, 3]);
    expect(result.duplicateCount).toBe(1);
  });

  it('accepts CRLF line ends, blank lines, comments, a trailing comma and # EOF', () => {
    const text = '# HELP m help\r\n# some comment\r\n\r\nm{a="1",} 2\r\n# EOF\r\n';
    const result = parseExposition(text, wanted('m'));
    expect(result.error).toBeUndefined();
    expect(result.families.get('m')?.[0]).toEqual({ name: 'm', labels: { a: '1' }, value: 2 });
  });

  it('keeps only the one series asked for in a family with hundreds of rows', () => {
    const text = [
      'cnpg_pg_settings_setting{name="shared_buffers"} 16384',
      'cnpg_pg_settings_setting{name="max_connections"} 200',
      'cnpg_pg_settings_setting{name="max_connections_x"} 7',
    ].join('\n');
    const only = new Map([
      ['cnpg_pg_settings_setting', { label: 'name', value: 'max_connections' }],
    ]);
    const result = parseExposition(text, { wanted: new Set(['cnpg_pg_settings_setting']), only });
    expect(result.families.get('cnpg_pg_settings_setting')?.map((s) => s.value)).toEqual([200]);
  });

  it('reports a wanted family that is missing by leaving it out', () => {
    const result = parseExposition('other 1\n', wanted('m'));
    expect(result.error).toBeUndefined();
    expect(result.families.has('m')).toBe(false);
  });
});

describe('the exposition parser on hostile input', () => {
  it.each([
    [
      'an HTML error page',
      '<!DOCTYPE html>\n<html><body>502 Bad Gateway</body></html>\n',
      'line 1: invalid metric name',
    ],
    ['JSON', '{"error":"nope"}', 'line 1: invalid metric name'],
    ['an unterminated label value', 'm{a="open} 1\n', 'line 1: unterminated label value'],
    ['an unknown escape', 'm{a="\\t"} 1\n', 'line 1: invalid escape in a label value'],
    ['a non-numeric value', 'm one\n', 'line 1: invalid sample value'],
    ['a missing value', 'm{a="1"}\n', 'line 1: expected a value and an optional timestamp'],
    ['a fractional timestamp', 'm 1 17.5\n', 'line 1: invalid timestamp'],
    ['a repeated label', 'm{a="1",a="2"} 1\n', 'line 1: label name repeated'],
    ['text after # EOF', 'm 1\n# EOF\nm 2\n', 'line 3: content after # EOF'],
  ])('rejects %s with a clear reason and keeps nothing', (_what, text, error) => {
    const result = parseExposition(text, wanted('m'));
    expect(result.error).toBe(error);
    expect(result.families.size).toBe(0);
  });

  it('rejects a line longer than the limit even when it never ends', () => {
    const parser = new ExpositionParser({ wanted: new Set(['m']), maxLineLength: 1000 });
    parser.push('m 1\n');
    for (let i = 0; i < 10; i += 1) parser.push('x'.repeat(300));
    expect(parser.end().error).toBe('line 2 is longer than 1000 characters');
  });

  it('returns no families and no error for an empty body, leaving the verdict to the caller', () => {
    const result = parseExposition('', wanted('m'));
    expect(result.sampleCount).toBe(0);
    expect(result.error).toBeUndefined();
    expect(result.families.size).toBe(0);
  });

  it('never quotes the offending text in its error', () => {
    const result = parseExposition('10.0.0.7:9187 is down\n', wanted('m'));
    expect(result.error).toBe('line 1: invalid metric name');
  });
});
