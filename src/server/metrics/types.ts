// The scraper's side of the API: what routes and the hub ask of the metrics cache.
import type { ClusterMetricsResponse, Health, MetricsHistoryResponse } from '../../contract/api';

/** The metrics part of a cluster, without the cluster summary. */
export type ClusterMetricsSnapshot = Omit<ClusterMetricsResponse, 'cluster'>;

/** What the overview needs per cluster. */
export interface ClusterHealthSummary {
  overallHealth: Health;
  metricsScrapedAt?: string;
  metricsScrapeError?: string;
}

/** Read access to scraped metrics, health and history. */
export interface MetricsReader {
  /** Full snapshot for one cluster; the "metrics not available yet" fallback when nothing was scraped. */
  clusterMetrics(namespace: string, name: string): ClusterMetricsSnapshot;
  /** Overview fields for one cluster. */
  clusterHealth(namespace: string, name: string): ClusterHealthSummary;
  /** The last hour of key series for one cluster's instances. */
  clusterHistory(namespace: string, name: string): MetricsHistoryResponse;
  /** Called at most once per cluster per scrape round when its metrics changed. */
  onChange(listener: (change: { namespace: string; name: string }) => void): () => void;
  /** Bumped whenever any cluster's metrics change (for response caching). */
  readonly revision: number;
  /**
   * Changes whenever anything one cluster's snapshot is built from changes,
   * scrape times included (for caching that cluster's responses).
   */
  version(namespace: string, name: string): number;
}
