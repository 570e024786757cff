// The in-memory store of projections that reflectors write and everything else
// reads. Every change bumps `revision` and emits exactly one change event; an
// update that leaves a projection as it was changes nothing and emits nothing.
import type { Logger } from 'pino';
import type { KindStatus, ProjectionByKind, StoreChange, StoreKind, StoreReader } from './types';
import { isDeepEqual } from './equal';
import { KindStatusBook, type DownReport } from './kind-status';
import { OwnerIndex } from './owner-index';

/** Kinds that belong to one CNPG cluster, indexed by it. */
export type ClusterOwnedKind = Exclude<StoreKind, 'clusters' | 'objectstores'>;

type AnyProjection = ProjectionByKind[StoreKind];
type OwnedProjection = ProjectionByKind[ClusterOwnedKind];
/** namespace → name → projection. */
type NamespaceIndex = Map<string, Map<string, AnyProjection>>;

/** Options of a Store. */
export interface StoreOptions {
  /** Logs listener failures; a listener that throws never stops the writer. */
  logger?: Logger;
  /** Milliseconds since the epoch; replaceable in tests. */
  now?: () => number;
}

const OWNED_KINDS: ReadonlySet<StoreKind> = new Set([
  'backups',
  'scheduledbackups',
  'pods',
  'pvcs',
]);

/** Projections of every watched kind, indexed by namespace and by owning cluster. */
export class Store implements StoreReader {
  private revisionValue = 0;
  private readonly byKind = new Map<StoreKind, NamespaceIndex>();
  private readonly byCluster = new Map<StoreKind, OwnerIndex<OwnedProjection>>();
  private readonly listeners = new Set<(change: StoreChange) => void>();
  private readonly book: KindStatusBook;
  private readonly logger: Logger | undefined;
  private readonly now: () => number;

  constructor(options: StoreOptions = {}) {
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
    this.book = new KindStatusBook(this.now);
  }

  get revision(): number {
    return this.revisionValue;
  }

  get<K extends StoreKind>(
    kind: K,
    namespace: string,
    name: string,
  ): ProjectionByKind[K] | undefined {
    return this.namespaceMap(kind, namespace)?.get(name) as ProjectionByKind[K] | undefined;
  }

  /** All objects of a kind, optionally in one namespace, in no particular order. */
  list<K extends StoreKind>(kind: K, namespace?: string): ProjectionByKind[K][] {
    const index = this.byKind.get(kind);
    if (index === undefined) return [];
    const maps =
      namespace === undefined ? [...index.values()] : [index.get(namespace) ?? new Map()];
    return maps.flatMap((byName) => [...byName.values()]) as ProjectionByKind[K][];
  }

  listByCluster<K extends ClusterOwnedKind>(
    kind: K,
    namespace: string,
    clusterName: string,
  ): ProjectionByKind[K][] {
    const owned = this.byCluster.get(kind)?.list(namespace, clusterName) ?? [];
    return owned as ProjectionByKind[K][];
  }

  /** Namespaces holding at least one object of the kind. */
  namespaces(kind: StoreKind): string[] {
    return [...(this.byKind.get(kind)?.keys() ?? [])];
  }

  /** Number of objects of a kind. */
  count(kind: StoreKind): number {
    let total = 0;
    for (const byName of this.byKind.get(kind)?.values() ?? []) total += byName.size;
    return total;
  }

  onChange(listener: (change: StoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  kindStatuses(): KindStatus[] {
    return this.book.statuses();
  }

  /** Inserts or replaces one projection; returns whether anything changed. */
  upsert<K extends StoreKind>(kind: K, projection: ProjectionByKind[K]): boolean {
    const change = this.applyUpsert(kind, projection);
    if (change !== undefined) this.emit([change]);
    return change !== undefined;
  }

  /** Removes one object; returns whether it was there. */
  delete(kind: StoreKind, namespace: string, name: string): boolean {
    const change = this.applyDelete(kind, namespace, name);
    if (change !== undefined) this.emit([change]);
    return change !== undefined;
  }

  /**
   * Makes the kind's content (in one namespace, or everywhere) exactly `items`,
   * as after a relist. All changes apply before the first event goes out, so a
   * listener that reads the store sees the whole new state, never half of it.
   */
  replaceAll<K extends StoreKind>(
    kind: K,
    items: ProjectionByKind[K][],
    namespace?: string,
  ): StoreChange[] {
    const incoming = new Set(items.map((item) => `${item.namespace}/${item.name}`));
    const changes: StoreChange[] = [];
    for (const existing of this.list(kind, namespace)) {
      if (incoming.has(`${existing.namespace}/${existing.name}`)) continue;
      const change = this.applyDelete(kind, existing.namespace, existing.name);
      if (change !== undefined) changes.push(change);
    }
    for (const item of items) {
      if (namespace !== undefined && item.namespace !== namespace) continue;
      const change = this.applyUpsert(kind, item);
      if (change !== undefined) changes.push(change);
    }
    this.emit(changes);
    return changes;
  }

  /** Registers a reflector's scope (a namespace, or `''` for cluster-wide) as syncing. */
  trackKind(kind: StoreKind, scope: string): void {
    this.book.track(kind, scope);
  }

  /** Records that a reflector is in sync as of `at` (default: now). */
  markSynced(kind: StoreKind, scope: string, at: number = this.now()): void {
    this.book.synced(kind, scope, at);
  }

  /** Records that a reflector's watch is down. */
  markDown(report: DownReport): void {
    this.book.down(report);
  }

  private applyUpsert<K extends StoreKind>(
    kind: K,
    projection: ProjectionByKind[K],
  ): StoreChange | undefined {
    const previous = this.get(kind, projection.namespace, projection.name);
    if (previous !== undefined && isDeepEqual(previous, projection)) return undefined;

    const index = this.byKind.get(kind) ?? new Map<string, Map<string, AnyProjection>>();
    this.byKind.set(kind, index);
    const byName = index.get(projection.namespace) ?? new Map<string, AnyProjection>();
    index.set(projection.namespace, byName);
    byName.set(projection.name, projection);
    if (previous !== undefined) this.unindexOwner(kind, previous);
    this.indexOwner(kind, projection);
    const change: Omit<StoreChange, 'revision'> = {
      kind,
      action: 'upsert',
      namespace: projection.namespace,
      name: projection.name,
    };
    const owner = ownerOf(kind, projection);
    if (owner !== undefined) change.clusterName = owner;
    const previousOwner = previous === undefined ? undefined : ownerOf(kind, previous);
    if (previousOwner !== undefined && previousOwner !== owner) {
      change.previousClusterName = previousOwner;
    }
    return this.nextChange(change);
  }

  private applyDelete(kind: StoreKind, namespace: string, name: string): StoreChange | undefined {
    const byName = this.namespaceMap(kind, namespace);
    const previous = byName?.get(name);
    if (byName === undefined || previous === undefined) return undefined;

    byName.delete(name);
    if (byName.size === 0) this.byKind.get(kind)?.delete(namespace);
    this.unindexOwner(kind, previous);
    const change: Omit<StoreChange, 'revision'> = { kind, action: 'delete', namespace, name };
    const owner = ownerOf(kind, previous);
    if (owner !== undefined) change.clusterName = owner;
    return this.nextChange(change);
  }

  private nextChange(change: Omit<StoreChange, 'revision'>): StoreChange {
    this.revisionValue += 1;
    return { ...change, revision: this.revisionValue };
  }

  private namespaceMap(kind: StoreKind, namespace: string): Map<string, AnyProjection> | undefined {
    return this.byKind.get(kind)?.get(namespace);
  }

  private indexOwner(kind: StoreKind, projection: AnyProjection): void {
    if (!isOwned(kind, projection)) return;
    const index = this.byCluster.get(kind) ?? new OwnerIndex<OwnedProjection>();
    this.byCluster.set(kind, index);
    index.add(projection);
  }

  private unindexOwner(kind: StoreKind, projection: AnyProjection): void {
    if (isOwned(kind, projection)) this.byCluster.get(kind)?.remove(projection);
  }

  private emit(changes: StoreChange[]): void {
    for (const change of changes) {
      for (const listener of this.listeners) {
        try {
          listener(change);
        } catch (error) {
          this.logger?.error({ err: error, kind: change.kind }, 'store change listener failed');
        }
      }
    }
  }
}

function isOwned(kind: StoreKind, projection: AnyProjection): projection is OwnedProjection {
  return OWNED_KINDS.has(kind) && 'clusterName' in projection;
}

function ownerOf(kind: StoreKind, projection: AnyProjection): string | undefined {
  return isOwned(kind, projection) ? projection.clusterName : undefined;
}
