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
import { walArchiverPlugin } from '../api/cluster-state';
import type { StoreChange, StoreReader } from '../store/types';

type ChangeHint = Omit<StoreChangedEvent, 'type' | 'occurredAt'>;

const directKinds: Partial<Record<StoreChange['kind'], EventKind>> = {
  clusters: 'cluster',
  backups: 'backup',
  scheduledbackups: 'scheduledBackup',
};

/**
 * Maps store changes to hints. Remembers which cluster owns each pod and PVC,
 * because after a delete the store no longer holds the object to ask.
 */
export class ChangeMapper {
  private readonly owners = new Map<string, string>();

  constructor(private readonly store: StoreReader) {}

  hints(change: StoreChange): ChangeHint[] {
    const { kind, action, namespace, name } = change;
    const direct = directKinds[kind];
    if (direct !== undefined) return [{ kind: direct, action, namespace, name }];

    if (kind === 'pods' || kind === 'pvcs') {
      const owner = this.ownerOf({ ...change, kind });
      return owner === undefined
        ? []
        : [{ kind: 'metrics', action: 'upsert', namespace, name: owner }];
    }
    return this.store
      .list('clusters', namespace)
      .filter((cluster) => walArchiverPlugin(cluster)?.barmanObjectName === name)
      .map((cluster) => ({ kind: 'cluster', action: 'upsert', namespace, name: cluster.name }));
  }

  private ownerOf(change: StoreChange & { kind: 'pods' | 'pvcs' }): string | undefined {
    const key = `${change.kind}/${change.namespace}/${change.name}`;
    if (change.action === 'delete') {
      const owner = this.owners.get(key);
      this.owners.delete(key);
      return owner;
    }
    const owner = this.store.get(change.kind, change.namespace, change.name)?.clusterName;
    if (owner !== undefined) this.owners.set(key, owner);
    return owner;
  }
}

interface CoalescerOptions {
  windowMs: number;
  now: () => Date;
  flush: (events: StoreChangedEvent[]) => void;
}

/**
 * Collects hints for at most `windowMs` and hands them over in one batch, one
 * event per object. The window starts at the first pending hint, so no hint
 * waits longer than the window.
 */
export class Coalescer {
  private readonly pending = new Map<string, StoreChangedEvent>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: CoalescerOptions) {}

  add(hint: ChangeHint): void {
    const key = `${hint.kind}/${hint.namespace}/${hint.name}`;
    this.pending.delete(key);
    this.pending.set(key, {
      type: 'store.changed',
      ...hint,
      occurredAt: this.options.now().toISOString(),
    });
    this.timer ??= setTimeout(() => this.flushNow(), this.options.windowMs);
  }

  flushNow(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const events = [...this.pending.values()];
    this.pending.clear();
    this.options.flush(events);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}
