// When each target is scraped. As in Prometheus, every target gets a stable
// offset within the interval from a hash, so scrapes spread evenly and a
// restart keeps the same rhythm. The offset is hashed from the target's
// Cluster, so all instances of one Cluster are scraped in the same instant and
// its snapshot changes once per round rather than once per instance.

/** Longest wait between attempts at a target that keeps failing. */
export const MAX_BACKOFF_MS = 5 * 60 * 1000;

/** FNV-1a, 32 bits: cheap and well spread for short keys. */
function hash(key: string): number {
  let value = 0x811c9dc5;
  for (let i = 0; i < key.length; i += 1) {
    value ^= key.charCodeAt(i);
    value = Math.imul(value, 0x01000193);
  }
  return value >>> 0;
}

export function scrapeOffsetMs(key: string, intervalMs: number): number {
  return hash(key) % intervalMs;
}

/** The first instant after `nowMs` that sits at `offsetMs` within the interval grid. */
export function nextAlignedMs(options: {
  nowMs: number;
  offsetMs: number;
  intervalMs: number;
}): number {
  const { nowMs, offsetMs, intervalMs } = options;
  const phase = (((nowMs - offsetMs) % intervalMs) + intervalMs) % intervalMs;
  return nowMs - phase + intervalMs;
}

/**
 * Gap before the next attempt after `failures` consecutive failures: one
 * interval after the first failure (a single blip costs nothing), then
 * doubling up to five minutes, always a whole number of intervals so the
 * target keeps its place in the grid. Never shorter than one interval.
 */
export function backoffMs(failures: number, intervalMs: number): number {
  if (failures <= 1) return intervalMs;
  const maxMultiple = Math.max(1, Math.floor(MAX_BACKOFF_MS / intervalMs));
  const multiple = Math.min(2 ** Math.min(failures - 1, 30), maxMultiple);
  return multiple * intervalMs;
}
