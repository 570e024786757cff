// What a finished backup changes outside itself: the Cluster's recoverability
// fields and LastBackupSucceeded condition for in-tree methods, and the
// ObjectStore's serverRecoveryWindow for the Barman Cloud plugin (CNPG no
// longer sets the deprecated cluster fields for plugins).
import type { KubeObject } from '../store/types';
import { backupFailed, conditions, rfc3339 } from './cnpg';
import { objectStoreOf } from './archive';
import { patchStatus, record, text } from './client';
import type { OperatorContext } from './context';
import { clusterKey } from './context';
import { updateClusterStatus, withConditions } from './cluster-status';
import { backupMethod } from './backup-facts';

export function recordBackupStarted(ctx: OperatorContext, cluster: KubeObject): void {
  updateClusterStatus(ctx, {
    cluster,
    mutate: (status, now) => withConditions(status, [conditions.backupStarted], now),
  });
}

export function recordBackupFailed(
  ctx: OperatorContext,
  options: { cluster: KubeObject; backup: KubeObject; message: string },
): void {
  const isPlugin = backupMethod(options.backup) === 'plugin';
  updateClusterStatus(ctx, {
    cluster: options.cluster,
    mutate: (status, now) => {
      withConditions(status, [backupFailed(options.message)], now);
      if (!isPlugin) status.lastFailedBackup = rfc3339(now);
    },
  });
}

export function recordBackupCompleted(
  ctx: OperatorContext,
  options: { cluster: KubeObject; backup: KubeObject },
): void {
  const method = backupMethod(options.backup);
  const completed = [...ctx.index.backupsOf(clusterKey(options.cluster)).values()]
    .filter((backup) => backup.status?.phase === 'completed')
    .concat(options.backup);
  if (method === 'plugin') {
    updateObjectStoreWindow(ctx, { ...options, completed });
    updateClusterStatus(ctx, {
      cluster: options.cluster,
      mutate: (status, now) => withConditions(status, [conditions.backupSucceeded], now),
    });
    return;
  }
  updateClusterStatus(ctx, {
    cluster: options.cluster,
    mutate: (status, now) => {
      withConditions(status, [conditions.backupSucceeded], now);
      applyInTreeWindow({ status, completed, method, stoppedAt: stopTime(options.backup) });
    },
  });
}

function applyInTreeWindow(options: {
  status: Record<string, unknown>;
  completed: KubeObject[];
  method: string;
  stoppedAt: string;
}): void {
  const { status, completed, method, stoppedAt } = options;
  const inTree = completed.filter((backup) => backupMethod(backup) !== 'plugin');
  const ofMethod = inTree.filter((backup) => backupMethod(backup) === method);
  status.lastSuccessfulBackup = stoppedAt;
  status.lastSuccessfulBackupByMethod = {
    ...record(status.lastSuccessfulBackupByMethod),
    [method]: stoppedAt,
  };
  status.firstRecoverabilityPoint = earliestStop(inTree) ?? stoppedAt;
  status.firstRecoverabilityPointByMethod = {
    ...record(status.firstRecoverabilityPointByMethod),
    [method]: earliestStop(ofMethod) ?? stoppedAt,
  };
}

function updateObjectStoreWindow(
  ctx: OperatorContext,
  options: { cluster: KubeObject; backup: KubeObject; completed: KubeObject[] },
): void {
  const resource = ctx.resources.objectStores;
  const parameters = record(record(options.backup.spec?.pluginConfiguration)?.parameters);
  const plugin = pluginParameters(options.cluster);
  const objectStoreName = text(parameters?.barmanObjectName) ?? text(plugin?.barmanObjectName);
  const namespace = options.cluster.metadata.namespace ?? 'default';
  const objectStore = objectStoreOf(ctx, { namespace, name: objectStoreName });
  if (resource === undefined || objectStore === undefined) return;

  const serverName = text(options.backup.status?.serverName) ?? options.cluster.metadata.name;
  const ofPlugin = options.completed.filter((backup) => backupMethod(backup) === 'plugin');
  const stoppedAt = stopTime(options.backup);
  patchStatus({
    store: ctx.store,
    resource,
    namespace,
    name: objectStore.metadata.name,
    mutate: (status) => {
      status.serverRecoveryWindow = {
        ...record(status.serverRecoveryWindow),
        [serverName]: {
          firstRecoverabilityPoint: earliestStop(ofPlugin) ?? stoppedAt,
          lastSuccessfulBackupTime: stoppedAt,
        },
      };
    },
  });
}

export function pluginParameters(cluster: KubeObject): Record<string, unknown> | undefined {
  const plugins = Array.isArray(cluster.spec?.plugins) ? cluster.spec.plugins.map(record) : [];
  return record(plugins.find((entry) => entry?.isWALArchiver === true)?.parameters);
}

function stopTime(backup: KubeObject): string {
  return text(backup.status?.stoppedAt) ?? rfc3339(new Date());
}

function earliestStop(backups: KubeObject[]): string | undefined {
  const times = backups
    .map((backup) => text(backup.status?.stoppedAt))
    .filter((value): value is string => value !== undefined)
    .sort();
  return times[0];
}
