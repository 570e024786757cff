// The metrics cache: the latest scrape of every pod (keyed by pod UID), the
// last hour of key numbers per instance, and the MetricsReader the API reads.
// Snapshots are built on read from the cache and the current store, and kept
// per cluster until something they are built from changes (the Cluster, its
// pods and PVCs, its scrape entries), so Cluster state changes show without
// waiting a round and a change to one cluster rebuilds only its snapshot.
import type { HealthThresholds, MetricsHistoryResponse } from '../../contract/api';
import type { StoreChange, StoreReader } from '../store/types';
import { HISTORY_WINDOW_MS, HistoryRing } from './history';
import type { ScrapeSink } from './scraper';
import { buildSnapshot, fallbackSnapshot, NOT_AVAILABLE_YET, type CacheEntry } from './snapshot';
import { clusterKey, type TargetSpec } from './targets';
import type { ClusterHealthSummary, ClusterMetricsSnapshot, MetricsReader } from './types';
import type { InstanceReading } from './readings';

type ChangeListener = (change: { namespace: string; name: string }) => void;

export interface MetricsCacheOptions {
  store: StoreReader;
  thresholds: HealthThresholds;
  historySlots: number;
  now: () => Date;
}

export class MetricsCache implements MetricsReader, ScrapeSink {
  private readonly entries = new Map<string, CacheEntry>();
  private readonly entriesByCluster = new Map<string, Set<string>>();
  private readonly historyByCluster = new Map<string, Map<string, HistoryRing>>();
  private readonly signatures = new Map<string, string>();
  private readonly snapshots = new Map<
    string,
    { version: number; snapshot: ClusterMetricsSnapshot }
  >();
  /** Per cluster key: a number that changes whenever its snapshot's inputs change. */
  private readonly versions = new Map<string, number>();
  private nextVersion = 1;
  private readonly listeners = new Set<ChangeListener>();
  private currentRevision = 0;

  constructor(private readonly options: MetricsCacheOptions) {
    options.store.onChange((change) => this.storeChanged(change));
  }

  get revision(): number {
    return this.currentRevision;
  }

  version(namespace: string, name: string): number {
    return this.versions.get(clusterKey(namespace, name)) ?? 0;
  }

  clusterMetrics(namespace: string, name: string): ClusterMetricsSnapshot {
    const key = clusterKey(namespace, name);
    const cluster = this.options.store.get('clusters', namespace, name);
    if (cluster === undefined) return fallbackSnapshot(this.options.thresholds);
    const version = this.versions.get(key) ?? 0;
    const kept = this.snapshots.get(key);
    if (kept?.version === version) return kept.snapshot;
    const snapshot = buildSnapshot({
      store: this.options.store,
      cluster,
      entries: this.clusterEntries(key),
      thresholds: this.options.thresholds,
    });
    this.snapshots.set(key, { version, snapshot });
    return snapshot;
  }

  clusterHealth(namespace: string, name: string): ClusterHealthSummary {
    const snapshot = this.clusterMetrics(namespace, name);
    const summary: ClusterHealthSummary = { overallHealth: snapshot.overallHealth };
    if (snapshot.scrapedAt !== undefined) summary.metricsScrapedAt = snapshot.scrapedAt;
    if (snapshot.scrapeError !== undefined) summary.metricsScrapeError = snapshot.scrapeError;
    return summary;
  }

  clusterHistory(namespace: string, name: string): MetricsHistoryResponse {
    const since = this.options.now().getTime() - HISTORY_WINDOW_MS;
    const rings = this.historyByCluster.get(clusterKey(namespace, name)) ?? new Map();
    const instances = [...rings.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([podName, ring]) => ({ podName, points: ring.points(since) }));
    return { namespace, name, instances };
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setWaiting(spec: TargetSpec): void {
    this.put({ spec, state: 'waiting' });
  }

  setSkipped(spec: TargetSpec): void {
    this.put({ spec, state: 'skipped' });
  }

  recordScrape(spec: TargetSpec, result: { reading?: InstanceReading; error?: string }): void {
    const at = this.options.now();
    const entry: CacheEntry = { spec, state: 'scraped', scrapedAt: at.toISOString() };
    if (result.reading !== undefined) entry.reading = result.reading;
    if (result.error !== undefined) entry.error = result.error;
    this.put(entry);
    if (result.reading !== undefined) this.remember(spec, result.reading, at.getTime());
  }

  remove(uid: string): void {
    const entry = this.entries.get(uid);
    if (entry === undefined) return;
    this.entries.delete(uid);
    const key = clusterKey(entry.spec.namespace, entry.spec.clusterName);
    this.entriesByCluster.get(key)?.delete(uid);
    this.touch(key);
  }

  flush(key: string): void {
    this.forgetGoneInstances(key);
    const signature = this.signature(key);
    if ((this.signatures.get(key) ?? '') === signature) return;
    if (signature === '') this.signatures.delete(key);
    else this.signatures.set(key, signature);
    this.currentRevision += 1;
    const slash = key.indexOf('/');
    const change = { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
    for (const listener of this.listeners) listener(change);
  }

  private put(entry: CacheEntry): void {
    this.entries.set(entry.spec.uid, entry);
    const key = clusterKey(entry.spec.namespace, entry.spec.clusterName);
    this.touch(key);
    let uids = this.entriesByCluster.get(key);
    if (uids === undefined) {
      uids = new Set();
      this.entriesByCluster.set(key, uids);
    }
    uids.add(entry.spec.uid);
  }

  /** Marks a cluster's snapshot as out of date. */
  private touch(key: string): void {
    this.versions.set(key, this.nextVersion);
    this.nextVersion += 1;
  }

  /**
   * Store changes that reach a cluster's snapshot: the Cluster itself, and
   * its pods and PVCs (status, role, capacity). A deleted Cluster's entry
   * goes, and pod or PVC changes of clusters the store does not hold are
   * ignored; a scrape result for a cluster deleted meanwhile may still add
   * an entry, which the next flush of that cluster removes. The cache lives
   * as long as the store, so it never unsubscribes.
   */
  private storeChanged(change: StoreChange): void {
    if (change.kind === 'clusters') {
      const key = clusterKey(change.namespace, change.name);
      if (change.action === 'upsert') this.touch(key);
      else {
        this.versions.delete(key);
        this.snapshots.delete(key);
      }
      return;
    }
    if (change.kind !== 'pods' && change.kind !== 'pvcs') return;
    for (const owner of [change.clusterName, change.previousClusterName]) {
      if (owner === undefined) continue;
      if (this.options.store.get('clusters', change.namespace, owner) === undefined) continue;
      this.touch(clusterKey(change.namespace, owner));
    }
  }

  private clusterEntries(key: string): CacheEntry[] {
    const found: CacheEntry[] = [];
    for (const uid of this.entriesByCluster.get(key) ?? []) {
      const entry = this.entries.get(uid);
      if (entry !== undefined) found.push(entry);
    }
    return found;
  }

  /**
   * What a change notification compares: readings and errors, not scrape
   * times, so a round that only moves `scrapedAt` stays quiet.
   */
  private signature(key: string): string {
    const entries = this.clusterEntries(key).filter((entry) => entry.state !== 'waiting');
    if (entries.length === 0) return '';
    entries.sort((a, b) => (a.spec.podName < b.spec.podName ? -1 : 1));
    return JSON.stringify(
      entries.map((entry) => [
        entry.spec.podName,
        entry.spec.uid,
        entry.state,
        entry.error ?? entry.spec.skipReason ?? '',
        entry.reading ?? null,
      ]),
    );
  }

  private remember(spec: TargetSpec, reading: InstanceReading, t: number): void {
    const key = clusterKey(spec.namespace, spec.clusterName);
    let rings = this.historyByCluster.get(key);
    if (rings === undefined) {
      rings = new Map();
      this.historyByCluster.set(key, rings);
    }
    let ring = rings.get(spec.podName);
    if (ring === undefined) {
      ring = new HistoryRing(this.options.historySlots);
      rings.set(spec.podName, ring);
    }
    ring.push({
      t,
      connections: reading.totalConnections,
      replicationLagSeconds: reading.replicationLagSeconds,
      replayLagBytes: reading.replayLagBytes,
      databaseSizeBytes: reading.databaseSizeBytes,
    });
  }

  /**
   * History is kept per instance name, so it survives a pod being recreated;
   * it goes when the instance leaves the Cluster or the Cluster is deleted.
   */
  private forgetGoneInstances(key: string): void {
    const slash = key.indexOf('/');
    const cluster = this.options.store.get('clusters', key.slice(0, slash), key.slice(slash + 1));
    if (cluster === undefined) {
      this.historyByCluster.delete(key);
      this.snapshots.delete(key);
      this.versions.delete(key);
      if (this.entriesByCluster.get(key)?.size === 0) this.entriesByCluster.delete(key);
      return;
    }
    const rings = this.historyByCluster.get(key);
    if (rings === undefined) return;
    const current = new Set(cluster.instanceNames);
    for (const entry of this.clusterEntries(key)) current.add(entry.spec.podName);
    for (const podName of rings.keys()) if (!current.has(podName)) rings.delete(podName);
  }
}

export { NOT_AVAILABLE_YET };
