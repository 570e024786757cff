// `GET .../restore`: what the guided restore form needs about a source cluster.
import type {
  BackupMethod,
  RecoverabilityWindow,
  RestoreOptionsResponse,
  RestorePhase,
} from '../../contract/api';
import { toBackupSummary, toClusterSummary } from '../api/dto';
import {
  pluginRecoverability,
  recoverabilityByMethod,
  recoverabilityWindow,
} from '../store/cluster-state';
import type { BackupProjection, ClusterProjection, StoreReader } from '../store/types';
import { clusterNotFound } from './errors';
import { timeOf } from './rfc3339';

/** The phase model of `GET .../restore-status`, in order. */
export const supportedRestorePhases: RestorePhase[] = [
  'bootstrapping',
  'recovering',
  'ready',
  'failed',
];

function newestBy(time: (backup: BackupProjection) => string | undefined) {
  return (a: BackupProjection, b: BackupProjection): number => {
    const byTime = (timeOf(time(b)) ?? 0) - (timeOf(time(a)) ?? 0);
    return byTime !== 0 ? byTime : a.name.localeCompare(b.name);
  };
}

/** Completed backups first, newest completion first; then the others, newest first. */
export function orderRestoreCandidates(backups: BackupProjection[]): BackupProjection[] {
  const completed = backups.filter((backup) => backup.phase === 'completed');
  const others = backups.filter((backup) => backup.phase !== 'completed');
  completed.sort(newestBy((backup) => backup.stoppedAt ?? backup.createdAt));
  others.sort(newestBy((backup) => backup.createdAt));
  return [...completed, ...others];
}

/**
 * The window a point-in-time restore from a backup of `method` may target:
 * CNPG's per-method status fields for in-tree backups (the overall fields
 * only when the per-method maps are empty, as with older operators), and
 * the Barman Cloud ObjectStore's window for plugin backups.
 */
export function windowForMethod(
  cluster: ClusterProjection,
  store: StoreReader,
  method: BackupMethod,
): RecoverabilityWindow | undefined {
  if (method === 'plugin') return pluginRecoverability(cluster, store);
  const start = cluster.firstRecoverabilityPointByMethod[method];
  const end = cluster.lastSuccessfulBackupByMethod[method];
  if (start !== undefined || end !== undefined) return { start, end };
  const hasMaps =
    Object.keys(cluster.firstRecoverabilityPointByMethod).length > 0 ||
    Object.keys(cluster.lastSuccessfulBackupByMethod).length > 0;
  if (method === 'barmanObjectStore' && !hasMaps) {
    return { start: cluster.firstRecoverabilityPoint, end: cluster.lastSuccessfulBackup };
  }
  return undefined;
}

export function restoreOptions(
  store: StoreReader,
  key: { namespace: string; name: string },
): RestoreOptionsResponse {
  const cluster = store.get('clusters', key.namespace, key.name);
  if (cluster === undefined) throw clusterNotFound(key.namespace, key.name);
  const backups = store.listByCluster('backups', key.namespace, key.name);
  return {
    cluster: toClusterSummary(cluster, { store }),
    backups: orderRestoreCandidates(backups).map(toBackupSummary),
    recoverability: recoverabilityWindow(cluster, store),
    recoverabilityByMethod: recoverabilityByMethod(cluster, store),
    supportedPhases: [...supportedRestorePhases],
  };
}
