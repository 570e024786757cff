// The overview list body, built incrementally. With 10,000 clusters the store
// and the metrics cache change many times a second (pods, scrapes), so whole
// bodies are rebuilt often; each row's JSON is therefore kept per projection
// object and reused while the row's inputs are unchanged. The store replaces
// a projection object on every change, which makes object identity a cheap
// "unchanged" test.
import type { ClusterListItem } from '../../contract/api';
import type { ClusterHealthSummary, MetricsReader } from '../metrics/types';
import type { ClusterProjection, StoreChange, StoreReader } from '../store/types';
import { SerializedJson } from './cache';
import { walArchiverPlugin } from '../store/cluster-state';
import { toClusterListItem } from './dto';

/** A row's JSON with the inputs it was built from besides the projection. */
interface RowMemo {
  health: ClusterHealthSummary;
  /** ObjectStore revision for plugin clusters (their window lives there), else 0. */
  objectStoresRevision: number;
  json: string;
}

function isSameHealth(a: ClusterHealthSummary, b: ClusterHealthSummary): boolean {
  return (
    a.overallHealth === b.overallHealth &&
    a.metricsScrapedAt === b.metricsScrapedAt &&
    a.metricsScrapeError === b.metricsScrapeError
  );
}

/** Revisions of the store kinds the read routes depend on (pods and PVCs excluded). */
export class KindRevisions {
  clusters = 0;
  objectstores = 0;
  /** Any of clusters, backups, scheduled backups, ObjectStores. */
  details = 0;

  constructor(store: StoreReader) {
    store.onChange((change) => this.count(change));
  }

  private count(change: StoreChange): void {
    if (change.kind === 'clusters') this.clusters += 1;
    if (change.kind === 'objectstores') this.objectstores += 1;
    if (change.kind !== 'pods' && change.kind !== 'pvcs') this.details += 1;
  }
}

/** Names are ASCII (DNS labels), so code-unit order is the expected order and much cheaper than localeCompare. */
function byNamespaceThenName(a: ClusterProjection, b: ClusterProjection): number {
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Sorted clusters and namespace counts, valid for one clusters revision. */
interface Ordering {
  revision: number;
  sorted: ClusterProjection[];
  namespacesJson: string;
}

export class ClusterListBuilder {
  private readonly rows = new WeakMap<ClusterProjection, RowMemo>();
  private ordering: Ordering | undefined;

  constructor(
    private readonly deps: { store: StoreReader; metrics: MetricsReader },
    private readonly revisions: KindRevisions,
  ) {}

  /** The body of `GET /api/clusters`, items narrowed to one namespace when given. */
  build(namespace: string | undefined): SerializedJson {
    const ordering = this.currentOrdering();
    const clusters =
      namespace === undefined
        ? ordering.sorted
        : this.deps.store.list('clusters', namespace).sort(byNamespaceThenName);
    const items = clusters.map((cluster) => this.row(cluster));
    return new SerializedJson(
      `{"namespaces":${ordering.namespacesJson},"items":[${items.join(',')}]}`,
    );
  }

  private currentOrdering(): Ordering {
    if (this.ordering?.revision === this.revisions.clusters) return this.ordering;

    const sorted = this.deps.store.list('clusters').sort(byNamespaceThenName);
    const counts: { name: string; clusterCount: number }[] = [];
    for (const cluster of sorted) {
      const last = counts.at(-1);
      if (last?.name === cluster.namespace) last.clusterCount += 1;
      else counts.push({ name: cluster.namespace, clusterCount: 1 });
    }
    this.ordering = {
      revision: this.revisions.clusters,
      sorted,
      namespacesJson: JSON.stringify(counts),
    };
    return this.ordering;
  }

  private row(cluster: ClusterProjection): string {
    const health = this.deps.metrics.clusterHealth(cluster.namespace, cluster.name);
    const objectStoresRevision =
      walArchiverPlugin(cluster) === undefined ? 0 : this.revisions.objectstores;

    const memo = this.rows.get(cluster);
    if (
      memo !== undefined &&
      memo.objectStoresRevision === objectStoresRevision &&
      isSameHealth(memo.health, health)
    ) {
      return memo.json;
    }
    const item: ClusterListItem = toClusterListItem(cluster, { ...this.deps, health });
    const json = JSON.stringify(item);
    this.rows.set(cluster, { health, objectStoresRevision, json });
    return json;
  }
}
