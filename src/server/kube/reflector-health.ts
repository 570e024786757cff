// Reports a reflector's connection state to the store (for readiness) and to
// the log: info when it recovers, warn once when it becomes degraded.
import type { Logger } from 'pino';
import type { Store } from '../store/store';
import type { StoreKind } from '../store/types';
import type { ReflectorClock } from './clock';

/** Where a reflector reports, and as what. */
export interface HealthTarget {
  kind: StoreKind;
  /** The namespace watched, `''` for all. */
  scope: string;
  store: Store;
  logger: Logger;
  clock: ReflectorClock;
}

/** Up/down bookkeeping of one reflector. */
export class ReflectorHealth {
  private isDown = false;
  private hasWarned = false;

  constructor(private readonly target: HealthTarget) {}

  /** In sync as of now: a list completed, a watch opened, or an event arrived. */
  up(): void {
    const { store, kind, scope, clock, logger } = this.target;
    store.markSynced(kind, scope, clock.now());
    if (this.isDown) logger.info('watch recovered');
    this.isDown = false;
    this.hasWarned = false;
  }

  /** A request failed; `isPersistent` (403, 404) degrades the kind at once. */
  down(failure: { message: string; isPersistent: boolean }): void {
    const { store, kind, scope, clock, logger } = this.target;
    store.markDown({
      kind,
      scope,
      at: clock.now(),
      error: failure.message,
      isDegradedNow: failure.isPersistent,
    });
    this.isDown = true;
    const isDegraded = store
      .kindStatuses()
      .some((status) => status.kind === kind && status.state === 'degraded');
    if (isDegraded && !this.hasWarned) {
      this.hasWarned = true;
      logger.warn({ err: failure.message }, 'watch degraded');
    }
  }
}
