// Builds a Cluster's metrics response from the cached scrapes and what the
// store currently says about its pods, PVCs and state. Numbers the exporter
// did not report are 0 in the response (the contract's numbers are required)
// and their field names are listed in `unreportedMetrics`.
import type { HealthThresholds, InstanceMetrics, PodStatus } from '../../contract/api';
import type { ClusterProjection, PodProjection, StoreReader } from '../store/types';
import { judgeClusterState } from '../store/cluster-state';
import { judgeCluster, judgeInstance } from './health';
import type { InstanceReading } from './readings';
import type { TargetSpec } from './targets';
import type { ClusterMetricsSnapshot } from './types';

export const NOT_AVAILABLE_YET = 'metrics not available yet';

/** What the cache holds per pod UID. */
export interface CacheEntry {
  spec: TargetSpec;
  state: 'waiting' | 'skipped' | 'scraped';
  reading?: InstanceReading;
  error?: string;
  scrapedAt?: string;
}

export function fallbackSnapshot(thresholds: HealthThresholds): ClusterMetricsSnapshot {
  return { overallHealth: 'unknown', scrapeError: NOT_AVAILABLE_YET, instances: [], thresholds };
}

/** Most scrape errors named in a Cluster's summary; the rest are counted. */
const MAX_SUMMARY_ERRORS = 3;

export function buildSnapshot(args: {
  store: StoreReader;
  cluster: ClusterProjection;
  entries: CacheEntry[];
  thresholds: HealthThresholds;
}): ClusterMetricsSnapshot {
  const { store, cluster, entries, thresholds } = args;
  const capacities = dataVolumeCapacities(store, cluster);
  const entryByPod = new Map(entries.map((entry) => [entry.spec.podName, entry]));
  const podNames = [...new Set([...cluster.instanceNames, ...entryByPod.keys()])].sort();
  const instances = podNames.map((podName) =>
    buildInstance({
      podName,
      cluster,
      pod: store.get('pods', cluster.namespace, podName),
      entry: entryByPod.get(podName),
      pvcCapacityBytes: capacities.get(podName),
      thresholds,
    }),
  );

  if (instances.every((instance) => instance.scrapeError === NOT_AVAILABLE_YET)) {
    return fallbackSnapshot(thresholds);
  }

  const clusterState = judgeClusterState(cluster);
  const snapshot: ClusterMetricsSnapshot = {
    overallHealth: judgeCluster(
      instances.map((instance) => instance.health),
      clusterState.health,
    ),
    instances,
    thresholds,
  };
  if (clusterState.reasons.length > 0) snapshot.healthReasons = clusterState.reasons;
  const scrapedAt = newest(instances.map((instance) => instance.scrapedAt));
  if (scrapedAt !== undefined) snapshot.scrapedAt = scrapedAt;
  const scrapeError = summarizeErrors(instances);
  if (scrapeError !== undefined) snapshot.scrapeError = scrapeError;
  return snapshot;
}

function buildInstance(args: {
  podName: string;
  cluster: ClusterProjection;
  pod: PodProjection | undefined;
  entry: CacheEntry | undefined;
  pvcCapacityBytes: number | undefined;
  thresholds: HealthThresholds;
}): InstanceMetrics {
  const { podName, cluster, pod, entry, pvcCapacityBytes, thresholds } = args;
  const scrapeError = instanceError(pod, entry);
  const reading = scrapeError === undefined ? entry?.reading : undefined;
  const verdict = judgeInstance(
    {
      reading,
      scrapeError,
      pvcCapacityBytes,
      isReportedFailed: (cluster.instancesStatus.failed ?? []).includes(podName),
    },
    thresholds,
  );
  const instance: InstanceMetrics = {
    podName,
    podStatus: podStatus(cluster, pod),
    health: verdict.health,
    connections: {
      active: reading?.active ?? 0,
      idle: reading?.idle ?? 0,
      idleInTransaction: reading?.idleInTransaction ?? 0,
      total: reading?.totalConnections ?? 0,
      maxConnections: reading?.maxConnections ?? 0,
    },
    replication: {
      replicationLagSeconds: reading?.replicationLagSeconds ?? 0,
      isReplica: reading?.isReplica ?? false,
      isWalReceiverUp: reading?.isWalReceiverUp ?? false,
      streamingReplicas: reading?.streamingReplicas ?? 0,
      replayLagBytes: reading?.replayLagBytes ?? 0,
    },
    disk: {
      pvcCapacityBytes: pvcCapacityBytes ?? 0,
      databaseSizeBytes: reading?.databaseSizeBytes ?? 0,
    },
  };
  if (pod?.role !== undefined) instance.role = pod.role;
  if (verdict.reasons.length > 0) instance.healthReasons = verdict.reasons;
  if (entry?.scrapedAt !== undefined) instance.scrapedAt = entry.scrapedAt;
  if (scrapeError !== undefined) instance.scrapeError = scrapeError;
  const unreported = reading === undefined ? [] : unreportedFields(reading);
  if (unreported.length > 0) instance.unreportedMetrics = unreported;
  return instance;
}

function instanceError(
  pod: PodProjection | undefined,
  entry: CacheEntry | undefined,
): string | undefined {
  if (pod === undefined) return 'pod not found';
  if (entry === undefined || entry.spec.uid !== pod.uid || entry.state === 'waiting') {
    return NOT_AVAILABLE_YET;
  }
  if (entry.state === 'skipped') return entry.spec.skipReason ?? NOT_AVAILABLE_YET;
  return entry.error;
}

/** CNPG's own view (`status.instancesStatus`) first, then the Pod's phase; no Pod, no status. */
function podStatus(cluster: ClusterProjection, pod: PodProjection | undefined): PodStatus {
  if (pod === undefined) return 'unknown';
  if (pod.isTerminating) return 'terminating';
  for (const status of ['healthy', 'replicating', 'failed'] as const) {
    if ((cluster.instancesStatus[status] ?? []).includes(pod.name)) return status;
  }
  switch (pod.phase) {
    case 'Pending':
      return 'pending';
    case 'Running':
      return pod.isReady ? 'healthy' : 'pending';
    case 'Failed':
    case 'Succeeded':
      return 'failed';
    default:
      return 'unknown';
  }
}

/** Capacity of each instance's PG_DATA volume (the PVC named after the pod). */
function dataVolumeCapacities(store: StoreReader, cluster: ClusterProjection): Map<string, number> {
  const capacities = new Map<string, number>();
  for (const pvc of store.listByCluster('pvcs', cluster.namespace, cluster.name)) {
    if (pvc.pvcRole === 'PG_DATA' && pvc.capacityBytes !== undefined) {
      capacities.set(pvc.instanceName, pvc.capacityBytes);
    }
  }
  return capacities;
}

const REPORTED_FIELDS: [keyof InstanceReading, string][] = [
  ['totalConnections', 'connections.total'],
  ['maxConnections', 'connections.maxConnections'],
  ['replicationLagSeconds', 'replication.replicationLagSeconds'],
  ['isReplica', 'replication.isReplica'],
  ['isWalReceiverUp', 'replication.isWalReceiverUp'],
  ['streamingReplicas', 'replication.streamingReplicas'],
  ['databaseSizeBytes', 'disk.databaseSizeBytes'],
];

function unreportedFields(reading: InstanceReading): string[] {
  return REPORTED_FIELDS.filter(([field]) => reading[field] === undefined).map(([, path]) => path);
}

function newest(times: (string | undefined)[]): string | undefined {
  let latest: string | undefined;
  for (const time of times) {
    if (time !== undefined && (latest === undefined || time > latest)) latest = time;
  }
  return latest;
}

function summarizeErrors(instances: InstanceMetrics[]): string | undefined {
  const failing = instances.filter((instance) => instance.scrapeError !== undefined);
  if (failing.length === 0) return undefined;
  const named = failing
    .slice(0, MAX_SUMMARY_ERRORS)
    .map((instance) => `${instance.podName} ${instance.scrapeError ?? ''}`);
  const more = failing.length - named.length;
  return more > 0 ? `${named.join('; ')}; and ${more} more` : named.join('; ');
}
