// Objects of one kind grouped by the cluster that owns them. Nested maps keyed
// by the (shared) namespace and cluster name strings, with a plain array per
// cluster: a cluster owns a handful of objects, and a composite string key or
// a Map per cluster would cost more memory than the projections listed.

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
    // A new array of exactly the right length rather than `push`, which
    // would leave room for 16 more items in every cluster's array: the cost
    // is a copy of a handful of references per added object.
    const owned = byCluster.get(item.clusterName) ?? [];
    byCluster.set(item.clusterName, owned.concat([item]));
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
