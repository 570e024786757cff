// Deterministic values that move smoothly over time: the same seed, pod and
// moment always give the same number, so a test can reproduce what a scrape saw.

/** FNV-1a, 32 bits: a stable number for a string. */
export function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193) >>> 0;
  }
  return value;
}

/** A fraction in [0, 1) fixed for a key. */
export function unit(key: string): number {
  return hash(key) / 2 ** 32;
}

/**
 * A smooth wave in [0, 1] for a key: two sines with key-dependent phases and
 * periods of a few minutes, so values drift visibly without jumping.
 */
export function wave(options: { key: string; seconds: number; periodSeconds?: number }): number {
  const period = options.periodSeconds ?? 300;
  const phase = unit(options.key) * 2 * Math.PI;
  const slow = Math.sin((2 * Math.PI * options.seconds) / period + phase);
  const fast = Math.sin((2 * Math.PI * options.seconds) / (period / 3.7) + phase * 1.3);
  return 0.5 + 0.35 * slow + 0.15 * fast;
}

/** `low + (high - low) * wave`. */
export function between(
  options: { key: string; seconds: number; periodSeconds?: number },
  low: number,
  high: number,
): number {
  return low + (high - low) * wave(options);
}

/** Kubernetes quantities (`1Gi`, `500M`, `10737418240`) in bytes; undefined when unreadable. */
export function quantityBytes(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$/.exec(value.trim());
  if (match === null) return undefined;
  const factors: Record<string, number> = {
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    Pi: 2 ** 50,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
  };
  return Math.round(Number(match[1]) * (factors[match[2] ?? ''] ?? 1));
}
