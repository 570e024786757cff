// Backups through CNPG's phases: `pending` (waiting for the cluster or for the
// backup already running on it, one at a time per cluster), `running`,
// `finalizing` for volume snapshots, then `completed`, or `failed` with the
// operator's exact error text when the cluster lacks the configuration.
import type { KubeObject } from '../store/types';
import { annotations, backupErrors, backupPhase, rfc3339 } from './cnpg';
import { barmanPlugin, inTreeLocation, objectStoreLocation, objectStoreOf } from './archive';
import { keyOf, patchStatus, record, text } from './client';
import type { OperatorContext } from './context';
import { clusterKey } from './context';
import {
  backupMethod,
  backupTargetPod,
  barmanBackupId,
  walRange,
  type BackupMethod,
} from './backup-facts';
import {
  pluginParameters,
  recordBackupCompleted,
  recordBackupFailed,
  recordBackupStarted,
} from './backup-results';

const activePhases = new Set<unknown>(['started', 'running', 'finalizing']);

export function reconcileBackup(ctx: OperatorContext, backup: KubeObject): boolean {
  const phaseNow = backup.status?.phase;
  if (phaseNow === backupPhase.completed || phaseNow === backupPhase.failed) return false;
  const namespace = backup.metadata.namespace ?? 'default';
  const clusterName = text(record(backup.spec?.cluster)?.name) ?? '';
  const cluster = ctx.store.get(ctx.resources.clusters, namespace, clusterName);

  if (cluster === undefined) {
    ctx.logger.debug(
      { backup: backup.metadata.name, cluster: clusterName },
      'unknown cluster, will retry',
    );
    setBackupStatus(ctx, { backup, fields: { phase: backupPhase.pending } });
    ctx.enqueueBackup(keyOf(namespace, backup.metadata.name), ctx.retryMs);
    return false;
  }
  if (phaseNow === backupPhase.running) return finishRunning(ctx, { backup, cluster });
  if (phaseNow === backupPhase.finalizing) return complete(ctx, { backup, cluster });
  return startIfPossible(ctx, { backup, cluster });
}

function startIfPossible(
  ctx: OperatorContext,
  options: { backup: KubeObject; cluster: KubeObject },
): boolean {
  const { backup, cluster } = options;
  const configError = configurationError(cluster, backupMethod(backup));
  if (configError !== undefined) {
    fail(ctx, { backup, cluster, message: configError });
    return true;
  }
  if (backup.status?.phase !== backupPhase.pending) {
    setBackupStatus(ctx, { backup, fields: { phase: backupPhase.pending } });
    return true;
  }
  const isBusy = [...ctx.index.backupsOf(clusterKey(cluster)).values()].some(
    (other) =>
      other.metadata.name !== backup.metadata.name && activePhases.has(other.status?.phase),
  );
  const pods = ctx.index.podsOf(clusterKey(cluster));
  const isBootstrapped = typeof cluster.status?.currentPrimary === 'string';
  const pod = isBootstrapped ? backupTargetPod({ backup, cluster, pods }) : undefined;
  if (isBusy || pod === undefined) {
    ctx.enqueueBackup(
      keyOf(cluster.metadata.namespace ?? 'default', backup.metadata.name),
      ctx.retryMs,
    );
    return false;
  }
  start(ctx, { backup, cluster, pod });
  return true;
}

/** CNPG's checks, in its order (internal/controller/backup_controller.go). */
export function configurationError(cluster: KubeObject, method: BackupMethod): string | undefined {
  if (cluster.metadata.annotations?.[annotations.hibernation] === 'on') {
    return backupErrors.hibernated;
  }
  if (method === 'plugin') {
    return barmanPlugin(cluster) === undefined ? backupErrors.noPlugin : undefined;
  }
  const section = record(cluster.spec?.backup);
  if (section === undefined) return backupErrors.noBackupSection;
  if (method === 'volumeSnapshot' && record(section.volumeSnapshot) === undefined) {
    return backupErrors.noVolumeSnapshot;
  }
  if (method === 'barmanObjectStore' && record(section.barmanObjectStore) === undefined) {
    return backupErrors.noBarmanObjectStore;
  }
  return undefined;
}

function start(
  ctx: OperatorContext,
  options: { backup: KubeObject; cluster: KubeObject; pod: KubeObject },
): void {
  const { backup, cluster, pod } = options;
  const now = ctx.now();
  const method = backupMethod(backup);
  ctx.logger.info(
    { namespace: backup.metadata.namespace, backup: backup.metadata.name, method },
    'backup started',
  );
  setBackupStatus(ctx, {
    backup,
    fields: {
      phase: backupPhase.running,
      method,
      startedAt: rfc3339(now),
      reconciliationStartedAt: rfc3339(now),
      instanceID: {
        podName: pod.metadata.name,
        ContainerID: `containerd://${pod.metadata.uid ?? ''}`,
      },
      ...destinationFields(ctx, { backup, cluster, method, now }),
      ...(method === 'volumeSnapshot' ? { online: backup.spec?.online !== false } : {}),
    },
  });
  recordBackupStarted(ctx, cluster);
  ctx.events.record({
    object: backup,
    type: 'Normal',
    reason: 'Starting',
    message: `Starting backup for cluster ${cluster.metadata.name}`,
  });
}

function destinationFields(
  ctx: OperatorContext,
  options: { backup: KubeObject; cluster: KubeObject; method: BackupMethod; now: Date },
): Record<string, unknown> {
  const { cluster, method, now } = options;
  if (method === 'volumeSnapshot') return {};
  const backupId = barmanBackupId(now);
  const location = method === 'plugin' ? pluginLocation(ctx, cluster) : inTreeLocation(cluster);
  return {
    backupId,
    backupName: `backup-${backupId}`,
    serverName: location?.serverName ?? cluster.metadata.name,
    ...(location === undefined ? {} : { destinationPath: location.destinationPath }),
    ...(location?.endpointURL === undefined ? {} : { endpointURL: location.endpointURL }),
  };
}

function pluginLocation(ctx: OperatorContext, cluster: KubeObject) {
  const parameters = pluginParameters(cluster) ?? record(barmanPlugin(cluster)?.parameters);
  const objectStore = objectStoreOf(ctx, {
    namespace: cluster.metadata.namespace ?? 'default',
    name: text(parameters?.barmanObjectName),
  });
  const serverName = text(parameters?.serverName) ?? cluster.metadata.name;
  return objectStore === undefined ? undefined : objectStoreLocation(objectStore, serverName);
}

function finishRunning(
  ctx: OperatorContext,
  options: { backup: KubeObject; cluster: KubeObject },
): boolean {
  if (backupMethod(options.backup) !== 'volumeSnapshot') return complete(ctx, options);
  const hasWal = record(options.cluster.spec?.walStorage) !== undefined;
  const name = options.backup.metadata.name;
  const elements = [{ name, type: 'PG_DATA' }];
  if (hasWal) elements.push({ name: `${name}-wal`, type: 'PG_WAL' });
  setBackupStatus(ctx, {
    backup: options.backup,
    fields: { phase: backupPhase.finalizing, snapshotBackupStatus: { elements } },
  });
  return true;
}

function complete(
  ctx: OperatorContext,
  options: { backup: KubeObject; cluster: KubeObject },
): boolean {
  const { backup, cluster } = options;
  const now = ctx.now();
  const startedAt = new Date(text(backup.status?.startedAt) ?? rfc3339(now));
  const updated = setBackupStatus(ctx, {
    backup,
    fields: {
      phase: backupPhase.completed,
      stoppedAt: rfc3339(now),
      reconciliationTerminatedAt: rfc3339(now),
      majorVersion: 17,
      ...walRange({ cluster, startedAt }),
    },
  });
  if (updated !== undefined) {
    recordBackupCompleted(ctx, { cluster, backup: updated });
    ctx.events.record({
      object: updated,
      type: 'Normal',
      reason: 'Completed',
      message: 'Backup completed',
    });
  }
  ctx.logger.info(
    { namespace: backup.metadata.namespace, backup: backup.metadata.name },
    'backup completed',
  );
  wakeWaitingBackups(ctx, cluster);
  return true;
}

function fail(
  ctx: OperatorContext,
  options: { backup: KubeObject; cluster: KubeObject; message: string },
): void {
  const now = rfc3339(ctx.now());
  ctx.logger.info(
    {
      namespace: options.backup.metadata.namespace,
      backup: options.backup.metadata.name,
      error: options.message,
    },
    'backup failed',
  );
  setBackupStatus(ctx, {
    backup: options.backup,
    fields: {
      phase: backupPhase.failed,
      error: options.message,
      method: backupMethod(options.backup),
      stoppedAt: now,
      reconciliationTerminatedAt: now,
    },
  });
  recordBackupFailed(ctx, options);
  wakeWaitingBackups(ctx, options.cluster);
}

function wakeWaitingBackups(ctx: OperatorContext, cluster: KubeObject): void {
  const namespace = cluster.metadata.namespace ?? 'default';
  for (const other of ctx.index.backupsOf(clusterKey(cluster)).values()) {
    if (other.status?.phase === backupPhase.pending)
      ctx.enqueueBackup(keyOf(namespace, other.metadata.name));
  }
}

function setBackupStatus(
  ctx: OperatorContext,
  options: { backup: KubeObject; fields: Record<string, unknown> },
): KubeObject | undefined {
  return patchStatus({
    store: ctx.store,
    resource: ctx.resources.backups,
    namespace: options.backup.metadata.namespace ?? 'default',
    name: options.backup.metadata.name,
    mutate: (status) => {
      const before = JSON.stringify(status);
      Object.assign(status, options.fields);
      return JSON.stringify(status) !== before;
    },
  });
}
