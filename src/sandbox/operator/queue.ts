// A keyed work queue with delays, as controller-runtime's rate-limited queue:
// one pending run per key (the earliest requested wins), runs one at a time,
// and failing keys come back with growing delays.
import type { Logger } from 'pino';

const longestTimerMs = 2 ** 31 - 1;

export class WorkQueue {
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private readonly failures = new Map<string, number>();
  private closed = false;

  constructor(
    private readonly options: {
      name: string;
      logger: Logger;
      reconcile: (key: string) => void;
      /** Delay before retrying a key whose reconcile threw, for its first failure. */
      retryBaseMs: number;
    },
  ) {}

  /** Runs `key` after `delayMs`, unless a run is already due sooner. */
  add(key: string, delayMs = 0): void {
    if (this.closed) return;
    const at = Date.now() + Math.max(0, delayMs);
    const pending = this.timers.get(key);
    if (pending !== undefined && pending.at <= at) return;
    if (pending !== undefined) clearTimeout(pending.timer);

    const wait = Math.min(Math.max(0, at - Date.now()), longestTimerMs);
    const timer = setTimeout(() => this.run(key), wait);
    timer.unref();
    this.timers.set(key, { at, timer });
  }

  close(): void {
    this.closed = true;
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private run(key: string): void {
    this.timers.delete(key);
    if (this.closed) return;
    try {
      this.options.reconcile(key);
      this.failures.delete(key);
    } catch (error) {
      const count = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, count);
      const delayMs = Math.min(this.options.retryBaseMs * 2 ** (count - 1), 60_000);
      this.options.logger.warn(
        { queue: this.options.name, key, err: error, retryInMs: delayMs },
        'reconcile failed',
      );
      this.add(key, delayMs);
    }
  }
}
