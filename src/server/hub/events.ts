// Turns store and metrics changes into the contract's `store.changed` events
// and coalesces them: changes to one object inside one window become a single
// event carrying the latest action.
//
// Pods and PVCs have no event kind of their own. What they change (instance
// status, role, disk capacity) is shown by the metrics endpoint, so a pod or
// PVC change becomes a `metrics` hint for the cluster that owns it. A Barman
// Cloud ObjectStore change moves the recoverability window of the clusters
// archiving into it, so it becomes a `cluster` hint for each of them.
import type { EventKind, StoreChangedEvent } from '../../contract/api';
import { walArchiverPlugin } from '../store/cluster-state';
import type { StoreChange, StoreReader } from '../store/types';

type ChangeHint = Omit<StoreChangedEvent, 'type' | 'occurredAt'>;

const directKinds: Partial<Record<StoreChange['kind'], EventKind>> = {
  clusters: 'cluster',
  backups: 'backup',
  scheduledbackups: 'scheduledBackup',
};

/** Maps store changes to hints. */
export class ChangeMapper {
  constructor(private readonly store: StoreReader) {}

  hints(change: StoreChange): ChangeHint[] {
    const { kind, action, namespace, name } = change;
    const direct = directKinds[kind];
    if (direct !== undefined) return [{ kind: direct, action, namespace, name }];

    if (kind === 'pods' || kind === 'pvcs') {
      // The store names the owner even after a delete; a pod or PVC moved to
      // another cluster changes what both clusters show.
      return [change.clusterName, change.previousClusterName]
        .filter((owner) => owner !== undefined)
        .map((owner) => ({ kind: 'metrics', action: 'upsert', namespace, name: owner }));
    }
    return this.store
      .list('clusters', namespace)
      .filter((cluster) => walArchiverPlugin(cluster)?.barmanObjectName === name)
      .map((cluster) => ({ kind: 'cluster', action: 'upsert', namespace, name: cluster.name }));
  }
}

interface CoalescerOptions {
  windowMs: number;
  now: () => Date;
  flush: (events: StoreChangedEvent[]) => void;
}

/**
 * Coalesces hints per object without delaying the first one.
 *
 * An object that has not been announced in the current window is sent as soon
 * as the current macrotask ends (so a synchronous burst, such as one relist,
 * still becomes one event per object). It then cools down until the window
 * ends, at most `windowMs` later: further hints for it are held and sent as
 * one event, carrying the latest action, when the window ends, after which it
 * cools down for another window. A quiet object therefore reaches clients at
 * once, and no hint waits longer than one window.
 */
export class Coalescer {
  private readonly immediate = new Map<string, StoreChangedEvent>();
  private readonly held = new Map<string, StoreChangedEvent>();
  private cooling = new Set<string>();
  private immediateScheduled: NodeJS.Immediate | undefined;
  private windowTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: CoalescerOptions) {}

  add(hint: ChangeHint): void {
    const key = `${hint.kind}/${hint.namespace}/${hint.name}`;
    const event: StoreChangedEvent = {
      type: 'store.changed',
      ...hint,
      occurredAt: this.options.now().toISOString(),
    };
    const queue = this.cooling.has(key) ? this.held : this.immediate;
    // Deleting first moves the object to the end, so events keep the order of
    // each object's latest change.
    queue.delete(key);
    queue.set(key, event);
    if (queue === this.immediate) {
      this.immediateScheduled ??= setImmediate(() => this.sendImmediate());
    }
  }

  stop(): void {
    this.cancelTimers();
    this.immediate.clear();
    this.held.clear();
    this.cooling.clear();
  }

  private sendImmediate(): void {
    this.immediateScheduled = undefined;
    if (this.immediate.size === 0) return;
    const events = [...this.immediate.values()];
    for (const key of this.immediate.keys()) this.cooling.add(key);
    this.immediate.clear();
    this.windowTimer ??= setTimeout(() => this.endWindow(), this.options.windowMs);
    this.options.flush(events);
  }

  private endWindow(): void {
    this.windowTimer = undefined;
    // Objects sent now cool down for one more window; the others are free.
    this.cooling = new Set(this.held.keys());
    const events = [...this.held.values()];
    this.held.clear();
    if (this.cooling.size > 0) {
      this.windowTimer = setTimeout(() => this.endWindow(), this.options.windowMs);
    }
    if (events.length > 0) this.options.flush(events);
  }

  private cancelTimers(): void {
    if (this.immediateScheduled !== undefined) clearImmediate(this.immediateScheduled);
    this.immediateScheduled = undefined;
    clearTimeout(this.windowTimer);
    this.windowTimer = undefined;
  }
}
