// Builds the contract's DTOs from store projections. Each builder names every
// field it copies, so nothing a projection holds for internal use (pod IPs,
// server names, labels) can reach a response by accident.
import type {
  BackupSummary,
  ClusterDetailResponse,
  ClusterListItem,
  ClusterSummary,
  ScheduledBackupSummary,
} from '../../contract/api';
import type { ClusterHealthSummary, MetricsReader } from '../metrics/types';
import type {
  BackupProjection,
  ClusterProjection,
  ScheduledBackupProjection,
  StoreReader,
} from '../store/types';
import {
  backupMethods,
  clusterStateHealth,
  isArchivingFailing,
  recoverabilityWindow,
  worseHealth,
} from '../store/cluster-state';

interface SummaryOptions {
  /** Lets plugin-backed clusters report the ObjectStore's recoverability window. */
  store?: StoreReader;
}

/** The contract's summary of a Cluster. */
export function toClusterSummary(
  cluster: ClusterProjection,
  options: SummaryOptions = {},
): ClusterSummary {
  const window = recoverabilityWindow(cluster, options.store);
  return {
    namespace: cluster.namespace,
    name: cluster.name,
    createdAt: cluster.createdAt,
    phase: cluster.phase,
    phaseReason: cluster.phaseReason,
    desiredInstances: cluster.desiredInstances,
    readyInstances: cluster.readyInstances,
    currentPrimary: cluster.currentPrimary,
    image: cluster.image,
    firstRecoverabilityPoint: window.start,
    lastSuccessfulBackup: window.end,
  };
}

/** The contract's summary of a Backup. */
export function toBackupSummary(backup: BackupProjection): BackupSummary {
  return {
    namespace: backup.namespace,
    name: backup.name,
    clusterName: backup.clusterName,
    createdAt: backup.createdAt,
    phase: backup.phase,
    method: backup.method,
    target: backup.target,
    startedAt: backup.startedAt,
    stoppedAt: backup.stoppedAt,
    error: backup.error,
    backupId: backup.backupId,
    scheduledBackup: backup.scheduledBackup,
  };
}

/** The contract's summary of a ScheduledBackup. */
export function toScheduledBackupSummary(
  scheduled: ScheduledBackupProjection,
): ScheduledBackupSummary {
  return {
    namespace: scheduled.namespace,
    name: scheduled.name,
    clusterName: scheduled.clusterName,
    createdAt: scheduled.createdAt,
    schedule: scheduled.schedule,
    method: scheduled.method,
    immediate: scheduled.immediate,
    suspended: scheduled.suspended,
    lastScheduleTime: scheduled.lastScheduleTime,
    nextScheduleTime: scheduled.nextScheduleTime,
  };
}

/** Newest first by creation time, then by name so equal times keep a stable order. */
export function newestFirst<T extends { createdAt?: string; name: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => {
    const byTime = (b.createdAt ?? '').localeCompare(a.createdAt ?? '');
    return byTime !== 0 ? byTime : a.name.localeCompare(b.name);
  });
}

/**
 * One overview row. The verdict is the worse of the Cluster's own state and
 * the scraped metrics; a Cluster that looks fine but was never scraped reads
 * `unknown`, since its instances could not be checked.
 */
export function toClusterListItem(
  cluster: ClusterProjection,
  deps: { store: StoreReader; metrics: MetricsReader; health?: ClusterHealthSummary },
): ClusterListItem {
  const health = deps.health ?? deps.metrics.clusterHealth(cluster.namespace, cluster.name);
  return {
    ...toClusterSummary(cluster, { store: deps.store }),
    overallHealth: worseHealth(clusterStateHealth(cluster), health.overallHealth),
    metricsScrapedAt: health.metricsScrapedAt,
    metricsScrapeError: health.metricsScrapeError,
  };
}

/** The cluster page and backups page body: this cluster's objects only. */
export function toClusterDetail(
  cluster: ClusterProjection,
  store: StoreReader,
): ClusterDetailResponse {
  const { namespace, name } = cluster;
  const backups = store.listByCluster('backups', namespace, name);
  const scheduled = store.listByCluster('scheduledbackups', namespace, name);
  return {
    cluster: toClusterSummary(cluster, { store }),
    backups: newestFirst(backups).map(toBackupSummary),
    scheduledBackups: [...scheduled]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(toScheduledBackupSummary),
    conditions: cluster.conditions.map((c) => ({
      type: c.type,
      status: c.status,
      reason: c.reason,
      message: c.message,
      lastTransitionTime: c.lastTransitionTime,
    })),
    backupMethods: backupMethods(cluster),
    backupTarget: cluster.backupTarget,
    isArchivingFailing: isArchivingFailing(cluster),
    isRestoreTarget: cluster.isRecoveryBootstrap,
  };
}
