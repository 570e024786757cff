// Checks of `spec.bootstrap.recovery` before the primary is created, the way
// CNPG resolves the source: a Backup in the cluster's own namespace, or the
// backups found at an external cluster's object store (in-tree or plugin).
//
// Where CNPG gives up inside the recovery job (no backup at the source, a
// target time outside what the archive covers) the real cluster stays in
// `Setting up primary` with a failing job; the sandbox has no jobs, so it
// reports the closest documented state instead: phase
// `Cluster is unrecoverable and needs manual intervention` with the reason.
import { rfc3339 } from './cnpg';
import type { KubeObject } from '../store/types';
import {
  completedBackupsAt,
  objectStoreLocation,
  objectStoreOf,
  type ArchiveLocation,
} from './archive';
import { record, text } from './client';
import type { OperatorContext } from './context';

export type RecoveryPlan =
  | { kind: 'ready'; backup: KubeObject | undefined }
  | { kind: 'waiting'; reason: string }
  | { kind: 'failed'; reason: string };

export function recoverySpec(cluster: KubeObject): Record<string, unknown> | undefined {
  return record(record(cluster.spec?.bootstrap)?.recovery);
}

export function planRecovery(ctx: OperatorContext, cluster: KubeObject): RecoveryPlan {
  const recovery = recoverySpec(cluster);
  if (recovery === undefined) return { kind: 'ready', backup: undefined };

  const backupName = text(record(recovery.backup)?.name);
  if (backupName !== undefined) return fromBackupObject(ctx, { cluster, recovery, backupName });

  const source = text(recovery.source);
  if (source !== undefined) return fromExternalCluster(ctx, { cluster, recovery, source });

  return { kind: 'ready', backup: undefined };
}

function fromBackupObject(
  ctx: OperatorContext,
  options: { cluster: KubeObject; recovery: Record<string, unknown>; backupName: string },
): RecoveryPlan {
  const namespace = options.cluster.metadata.namespace ?? 'default';
  const backup = ctx.store.get(ctx.resources.backups, namespace, options.backupName);
  if (backup === undefined) {
    return {
      kind: 'waiting',
      reason: `Backup object "${namespace}/${options.backupName}" is missing`,
    };
  }
  if (backup.status?.phase !== 'completed') {
    return { kind: 'waiting', reason: `Backup "${options.backupName}" is not completed yet` };
  }
  const target = targetTimeOf(options.recovery);
  if (target !== undefined && !isTargetCovered({ backup, target, now: ctx.now() })) {
    return { kind: 'failed', reason: targetOutsideWindow(target) };
  }
  return { kind: 'ready', backup };
}

function fromExternalCluster(
  ctx: OperatorContext,
  options: { cluster: KubeObject; recovery: Record<string, unknown>; source: string },
): RecoveryPlan {
  const location = externalLocation(ctx, options);
  if (typeof location === 'string') return { kind: 'failed', reason: location };

  const backups = completedBackupsAt(ctx, location).sort(byStopTime);
  if (backups.length === 0) return { kind: 'failed', reason: 'no target backup found' };

  const backupID = text(record(options.recovery.recoveryTarget)?.backupID);
  if (backupID !== undefined) {
    const chosen = backups.find((backup) => backup.status?.backupId === backupID);
    if (chosen === undefined)
      return { kind: 'failed', reason: `no backup with ID ${backupID} found` };
    return { kind: 'ready', backup: chosen };
  }

  const target = targetTimeOf(options.recovery);
  if (target === undefined) return { kind: 'ready', backup: backups.at(-1) };
  const chosen = backups.filter((backup) => isTargetCovered({ backup, target, now: ctx.now() }));
  const latest = chosen.at(-1);
  if (latest === undefined) return { kind: 'failed', reason: targetOutsideWindow(target) };
  return { kind: 'ready', backup: latest };
}

/** The archive an external cluster entry points at, or why it cannot be used. */
function externalLocation(
  ctx: OperatorContext,
  options: { cluster: KubeObject; source: string },
): ArchiveLocation | string {
  const externals = Array.isArray(options.cluster.spec?.externalClusters)
    ? options.cluster.spec.externalClusters.map(record)
    : [];
  const external = externals.find((entry) => entry?.name === options.source);
  if (external === undefined) return `external cluster ${options.source} not found`;

  const inTree = record(external.barmanObjectStore);
  const destinationPath = text(inTree?.destinationPath);
  if (inTree !== undefined && destinationPath !== undefined) {
    return {
      destinationPath,
      serverName: text(inTree.serverName) ?? options.source,
      endpointURL: text(inTree.endpointURL),
    };
  }

  const parameters = record(record(external.plugin)?.parameters);
  const objectStoreName = text(parameters?.barmanObjectName);
  const namespace = options.cluster.metadata.namespace ?? 'default';
  const objectStore = objectStoreOf(ctx, { namespace, name: objectStoreName });
  if (objectStore === undefined) {
    return `ObjectStore "${namespace}/${objectStoreName ?? ''}" not found`;
  }
  const serverName = text(parameters?.serverName) ?? options.source;
  return objectStoreLocation(objectStore, serverName) ?? 'the ObjectStore has no destinationPath';
}

function targetTimeOf(recovery: Record<string, unknown>): Date | undefined {
  const value = text(record(recovery.recoveryTarget)?.targetTime);
  if (value === undefined) return undefined;
  // PostgreSQL timestamps ("2020-11-26 15:22:00.00000+00") are read as UTC when zoneless.
  const normalized = value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00');
  const hasZone = /(Z|[+-]\d\d:\d\d)$/.test(normalized);
  const parsed = new Date(hasZone ? normalized : `${normalized}Z`);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}

/** A target is reachable when it lies after the backup ended and not in the future. */
function isTargetCovered(options: { backup: KubeObject; target: Date; now: Date }): boolean {
  const stoppedAt = Date.parse(text(options.backup.status?.stoppedAt) ?? '');
  if (Number.isNaN(stoppedAt)) return false;
  return stoppedAt <= options.target.getTime() && options.target <= options.now;
}

function targetOutsideWindow(target: Date): string {
  return `recovery target time ${rfc3339(target)} is outside the recoverability window`;
}

function byStopTime(a: KubeObject, b: KubeObject): number {
  return Date.parse(text(a.status?.stoppedAt) ?? '') - Date.parse(text(b.status?.stoppedAt) ?? '');
}
