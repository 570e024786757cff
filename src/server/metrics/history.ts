// A fixed-size ring of one instance's recent key numbers, in typed arrays so
// its memory is known up front (docs/performance.md, "Metrics history").
// Missing values are stored as NaN and left out of the points it returns.
import type { MetricsHistoryPoint } from '../../contract/api';

export const HISTORY_WINDOW_MS = 60 * 60 * 1000;

/** Fewest and most slots per instance, whatever the scrape interval. */
const MIN_SLOTS = 60;
const MAX_SLOTS = 720;

/** Slots per instance: one per scrape over the window, within [60, 720]. */
export function historySlots(intervalMs: number): number {
  const wanted = Math.ceil(HISTORY_WINDOW_MS / intervalMs) + 1;
  return Math.min(MAX_SLOTS, Math.max(MIN_SLOTS, wanted));
}

/** Bytes one ring holds: five float64 columns. */
export function historyBytesPerInstance(intervalMs: number): number {
  return historySlots(intervalMs) * 5 * Float64Array.BYTES_PER_ELEMENT;
}

export interface HistorySample {
  t: number;
  connections?: number;
  replicationLagSeconds?: number;
  replayLagBytes?: number;
  databaseSizeBytes?: number;
}

export class HistoryRing {
  private readonly times: Float64Array;
  private readonly connections: Float64Array;
  private readonly lags: Float64Array;
  private readonly replayBytes: Float64Array;
  private readonly sizes: Float64Array;
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.times = new Float64Array(capacity);
    this.connections = new Float64Array(capacity);
    this.lags = new Float64Array(capacity);
    this.replayBytes = new Float64Array(capacity);
    this.sizes = new Float64Array(capacity);
  }

  push(sample: HistorySample): void {
    const slot = this.next;
    this.times[slot] = sample.t;
    this.connections[slot] = sample.connections ?? Number.NaN;
    this.lags[slot] = sample.replicationLagSeconds ?? Number.NaN;
    this.replayBytes[slot] = sample.replayLagBytes ?? Number.NaN;
    this.sizes[slot] = sample.databaseSizeBytes ?? Number.NaN;
    this.next = (slot + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** Points at or after `sinceMs`, oldest first. */
  points(sinceMs: number): MetricsHistoryPoint[] {
    const points: MetricsHistoryPoint[] = [];
    const first = (this.next - this.count + this.capacity) % this.capacity;
    for (let i = 0; i < this.count; i += 1) {
      const slot = (first + i) % this.capacity;
      const t = this.times[slot] ?? 0;
      if (t < sinceMs) continue;
      const point: MetricsHistoryPoint = { t };
      setIfFinite(point, 'connections', this.connections[slot]);
      setIfFinite(point, 'replicationLagSeconds', this.lags[slot]);
      setIfFinite(point, 'replayLagBytes', this.replayBytes[slot]);
      setIfFinite(point, 'databaseSizeBytes', this.sizes[slot]);
      points.push(point);
    }
    return points;
  }
}

type NumericField = Exclude<keyof MetricsHistoryPoint, 't'>;

function setIfFinite(
  point: MetricsHistoryPoint,
  field: NumericField,
  value: number | undefined,
): void {
  if (value !== undefined && Number.isFinite(value)) point[field] = value;
}
