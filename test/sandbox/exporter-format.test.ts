import { describe, expect, it } from 'vitest';
import { formatValue, gauge, renderFamilies } from '../../src/sandbox/exporter/text-format';
import { quantityBytes, wave } from '../../src/sandbox/exporter/signal';
import { parseFaultRequest } from '../../src/sandbox/exporter/faults';

describe('Prometheus text output', () => {
  it('writes HELP and TYPE before samples and escapes label values', () => {
    const text = renderFamilies([
      gauge('cnpg_example', 'An example', [{ labels: { datname: 'a"b\\c\nd' }, value: 1.5 }]),
    ]);

    expect(text).toBe(
      '# HELP cnpg_example An example\n# TYPE cnpg_example gauge\ncnpg_example{datname="a\\"b\\\\c\\nd"} 1.5\n',
    );
  });

  it('leaves out families without samples', () => {
    expect(renderFamilies([gauge('cnpg_empty', 'Nothing', [])])).toBe('');
  });

  it('formats special and large values as Go does', () => {
    expect(formatValue(Number.NaN)).toBe('NaN');
    expect(formatValue(Infinity)).toBe('+Inf');
    expect(formatValue(42)).toBe('42');
    expect(formatValue(1.5e20)).toBe('1.5e+20');
  });
});

describe('simulated values', () => {
  it('repeat exactly for the same key and moment, and stay within 0..1', () => {
    const first = wave({ key: 'pod-a', seconds: 1000 });

    expect(wave({ key: 'pod-a', seconds: 1000 })).toBe(first);
    for (let second = 0; second < 600; second += 7) {
      const value = wave({ key: 'pod-b', seconds: second });
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1);
    }
  });

  it('reads Kubernetes storage quantities', () => {
    expect(quantityBytes('1Gi')).toBe(2 ** 30);
    expect(quantityBytes('500M')).toBe(500_000_000);
    expect(quantityBytes('lots')).toBeUndefined();
  });
});

describe('exporter fault requests', () => {
  it('accept a known mode with an optional delay', () => {
    expect(parseFaultRequest({ namespace: 'a', pod: 'b', mode: 'slow', delayMs: 500 })).toEqual({
      target: { namespace: 'a', pod: 'b' },
      fault: { mode: 'slow', delayMs: 500 },
    });
  });

  it('reject missing targets, unknown modes and silly delays with a reason', () => {
    expect(parseFaultRequest(null)).toEqual({ error: 'body must be a JSON object' });
    expect(parseFaultRequest({ pod: 'b', mode: 'hang' })).toEqual({
      error: 'namespace is required',
    });
    expect(parseFaultRequest({ namespace: 'a', pod: 'b', mode: 'slow', delayMs: -1 })).toEqual({
      error: 'delayMs must be a number of milliseconds between 0 and 600000',
    });
  });
});
