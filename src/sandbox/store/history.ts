// The store's change history: a ring buffer of the last `limit` events, which
// is what watches resume from and what paginated lists rewind through.
import type { KubeObject, StoreEvent } from './types';

export interface HistoryEntry {
  event: StoreEvent;
  /** The object before the change; absent for ADDED. */
  previous?: KubeObject;
}

export class History {
  private readonly entries: (HistoryEntry | undefined)[];
  private start = 0;
  private size = 0;
  /** Highest resourceVersion whose event is no longer kept (or the store's starting version). */
  private droppedThrough: number;

  constructor(options: { limit: number; startResourceVersion: number }) {
    this.entries = new Array<HistoryEntry | undefined>(Math.max(1, options.limit));
    this.droppedThrough = options.startResourceVersion;
  }

  push(entry: HistoryEntry): void {
    const capacity = this.entries.length;
    if (this.size === capacity) {
      const oldest = this.entries[this.start];
      if (oldest !== undefined) this.droppedThrough = oldest.event.resourceVersion;
      this.entries[this.start] = entry;
      this.start = (this.start + 1) % capacity;
      return;
    }
    this.entries[(this.start + this.size) % capacity] = entry;
    this.size++;
  }

  /** Whether every event after `resourceVersion` is still kept. */
  covers(resourceVersion: number): boolean {
    return resourceVersion >= this.droppedThrough;
  }

  /** The oldest resourceVersion a client may resume from. */
  oldestResumable(): number {
    return this.droppedThrough;
  }

  private at(index: number): HistoryEntry | undefined {
    return this.entries[(this.start + index) % this.entries.length];
  }

  /** Index of the first entry with a resourceVersion above `resourceVersion` (binary search). */
  private firstAfter(resourceVersion: number): number {
    let low = 0;
    let high = this.size;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const entry = this.at(middle);
      if (entry !== undefined && entry.event.resourceVersion <= resourceVersion) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Entries after `resourceVersion`, oldest first; the caller checks `covers` first. */
  since(resourceVersion: number): HistoryEntry[] {
    const result: HistoryEntry[] = [];
    for (let index = this.firstAfter(resourceVersion); index < this.size; index++) {
      const entry = this.at(index);
      if (entry !== undefined) result.push(entry);
    }
    return result;
  }
}
