// Objects of one kind grouped by the cluster that owns them. Nested maps keyed
// by the (shared) namespace and cluster name strings, with a plain array per
// cluster: a cluster owns a handful of objects, and a composite string key or
// a Map per cluster would cost more memory than the projections listed.

/** Arrays up to this length are kept at their exact size. */
const EXACT_SIZE_UP_TO = 32;

/** What the index needs of a projection. */
interface Owned {
  namespace: string;
  name: string;
  clusterName: string;
}

/** Objects of one kind by namespace, then owning cluster. */
export class OwnerIndex<T extends Owned> {
  private readonly byNamespace = new Map<string, Map<string, T[]>>();

  add(item: T): void {
    const byCluster = this.byNamespace.get(item.namespace) ?? new Map<string, T[]>();
    this.byNamespace.set(item.namespace, byCluster);
    // Small arrays (nearly every cluster's) are replaced by a copy of exactly
    // the right length: `push` would leave room for 16 more items in each.
    // Past that size the spare room `push` leaves is a small share, and
    // copying on every add would make loading a cluster with thousands of
    // backups quadratic.
    const owned = byCluster.get(item.clusterName) ?? [];
    if (owned.length < EXACT_SIZE_UP_TO) byCluster.set(item.clusterName, owned.concat([item]));
    else owned.push(item);
  }

  remove(item: T): void {
    const byCluster = this.byNamespace.get(item.namespace);
    const owned = byCluster?.get(item.clusterName);
    if (byCluster === undefined || owned === undefined) return;
    const position = owned.findIndex((candidate) => candidate.name === item.name);
    if (position >= 0) owned.splice(position, 1);
    if (owned.length === 0) byCluster.delete(item.clusterName);
    if (byCluster.size === 0) this.byNamespace.delete(item.namespace);
  }

  /** The cluster's objects (a copy, safe to keep). */
  list(namespace: string, clusterName: string): T[] {
    return [...(this.byNamespace.get(namespace)?.get(clusterName) ?? [])];
  }
}
