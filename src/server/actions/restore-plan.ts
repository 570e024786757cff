// Decides whether a restore can be made and in which shape, from the request,
// the Backup and the source Cluster as the API server has them now. Every
// refusal here happens before anything is created.
import type { RecoverabilityWindow } from '../../contract/api';
import type { BackupFacts } from './backup-object';
import { badRequest, conflict, describeCluster } from './errors';
import { asRecord, getPath, getRecord, getString, getStringMap, type JsonObject } from './json';
import { maxTargetNameLength, tooLongDerivedName } from './names';
import type { RestoreRequest } from './restore-request';
import { timeOf } from './rfc3339';

/** The plugin whose restore shape Deckhand knows. */
export const barmanCloudPlugin = 'barman-cloud.cloudnative-pg.io';

/**
 * How the new Cluster finds its data:
 * - `backup-name`: `recovery.backup.name`, a Backup in the new cluster's namespace;
 * - `object-store-source`: `recovery.source` and an in-tree `barmanObjectStore` external cluster;
 * - `plugin-source`: `recovery.source` and a Barman Cloud plugin external cluster.
 */
export type RestoreShape = 'backup-name' | 'object-store-source' | 'plugin-source';

export interface RestorePlan {
  source: { namespace: string; name: string };
  target: { namespace: string; name: string };
  backup: BackupFacts;
  shape: RestoreShape;
  /** Where the backups live in the archive, for the external cluster. */
  serverName?: string;
  /** For `plugin-source`: the plugin and its ObjectStore's name. */
  plugin?: { name: string; barmanObjectName: string };
  /** RFC 3339, upper-case `T`/`Z`, when point-in-time. */
  pitrTargetTime?: string;
}

export interface PlanInput {
  request: RestoreRequest;
  source: { namespace: string; name: string };
  /** The source Cluster object, fresh from the API server. */
  sourceCluster: JsonObject;
  backup: BackupFacts;
  /** The source's window for the backup's method, when it advertises one. */
  window: RecoverabilityWindow | undefined;
}

function checkBackup(input: PlanInput): void {
  const { backup, source } = input;
  if (backup.clusterName !== source.name) {
    throw badRequest(
      `backup "${backup.name}" belongs to cluster "${backup.clusterName}", not "${source.name}"`,
    );
  }
  if (backup.phase !== 'completed') {
    const phase = backup.phase === '' ? 'pending' : backup.phase;
    throw conflict(
      `backup "${backup.name}" in namespace "${backup.namespace}" is ` +
        `not completed (phase "${phase}")`,
    );
  }
}

function checkSnapshotRules(input: PlanInput): void {
  const { backup, request } = input;
  if (backup.method !== 'volumeSnapshot') return;
  if (request.pitrTarget !== undefined) {
    throw badRequest('point-in-time restore is not supported for volumeSnapshot backups');
  }
  if (request.targetNamespace !== backup.namespace) {
    throw badRequest(
      `volumeSnapshot backup "${backup.name}" can only be restored ` +
        `in its own namespace "${backup.namespace}"`,
    );
  }
}

function checkTargetName(input: PlanInput): void {
  const name = input.request.targetName;
  const isSnapshotRecovery = input.backup.method === 'volumeSnapshot';
  const derived = tooLongDerivedName({ name, isSnapshotRecovery });
  if (derived === undefined) return;
  const limit = maxTargetNameLength({ isSnapshotRecovery });
  throw badRequest(
    `targetName "${name}" is too long: CNPG derives names such as ` +
      `"${derived}" that must fit in 63 characters, so at most ${limit} ` +
      `characters are possible`,
  );
}

/**
 * A point in time must lie in the window the source advertises, which ends at
 * its last successful backup (as the API promises), even though WAL archived
 * later may reach further; and not before the chosen backup ended, since
 * recovery replays WAL forward from that backup.
 */
function checkPitr(input: PlanInput): void {
  const { request, window, backup, source } = input;
  if (request.pitrTarget === undefined) return;
  const start = timeOf(window?.start);
  const end = timeOf(window?.end);
  if (start === undefined || end === undefined) {
    throw conflict(
      `${describeCluster(source.namespace, source.name)} does not advertise ` +
        `point-in-time recovery data for ${backup.method} backups`,
    );
  }
  const target = request.pitrTarget;
  if (target.epochMs < start || target.epochMs > end) {
    throw badRequest(
      `pitrTargetTime ${target.canonical} is outside the recoverability ` +
        `window (${window?.start ?? ''} to ${window?.end ?? ''})`,
    );
  }
  const stoppedAt = timeOf(backup.stoppedAt);
  if (stoppedAt !== undefined && target.epochMs < stoppedAt) {
    throw badRequest(
      `pitrTargetTime ${target.canonical} is before backup "${backup.name}" ` +
        `completed (${backup.stoppedAt ?? ''}); choose an earlier backup ` +
        `or a later time`,
    );
  }
}

function inTreeServerName(input: PlanInput): string {
  const configured = getString(input.sourceCluster, [
    'spec',
    'backup',
    'barmanObjectStore',
    'serverName',
  ]);
  return input.backup.serverName ?? configured ?? input.source.name;
}

function planObjectStoreSource(input: PlanInput): Pick<RestorePlan, 'serverName'> {
  const store = getRecord(input.sourceCluster, ['spec', 'backup', 'barmanObjectStore']);
  if (store === undefined) {
    throw conflict(
      `${describeCluster(input.source.namespace, input.source.name)} ` +
        `is not configured for barmanObjectStore backups any more, so ` +
        `its object store cannot be read from another namespace`,
    );
  }
  return { serverName: inTreeServerName(input) };
}

function findPluginEntry(sourceCluster: JsonObject, pluginName: string): JsonObject | undefined {
  const list = getPath(sourceCluster, ['spec', 'plugins']);
  const entries = Array.isArray(list) ? list.map(asRecord) : [];
  return entries.find(
    (entry) => getString(entry, ['name']) === pluginName && entry?.enabled !== false,
  );
}

function planPluginSource(input: PlanInput): Pick<RestorePlan, 'serverName' | 'plugin'> {
  const { backup, source } = input;
  const pluginName = backup.pluginName ?? barmanCloudPlugin;
  if (pluginName !== barmanCloudPlugin) {
    throw badRequest(
      `restoring backups taken by plugin "${pluginName}" is not supported; ` +
        `only ${barmanCloudPlugin} backups can be restored`,
    );
  }
  const entry = findPluginEntry(input.sourceCluster, pluginName);
  const parameters = getStringMap(entry, ['parameters']);
  const barmanObjectName = parameters.barmanObjectName;
  if (entry === undefined || barmanObjectName === undefined || barmanObjectName === '') {
    throw conflict(
      `${describeCluster(source.namespace, source.name)} is not configured ` +
        `for plugin backups any more, so the ObjectStore holding backup ` +
        `"${backup.name}" is unknown`,
    );
  }
  return {
    serverName: backup.serverName ?? parameters.serverName ?? source.name,
    plugin: { name: pluginName, barmanObjectName },
  };
}

function chooseShape(input: PlanInput): RestoreShape {
  if (input.backup.method === 'plugin') return 'plugin-source';
  if (input.backup.method === 'volumeSnapshot') return 'backup-name';
  const isSameNamespace = input.request.targetNamespace === input.backup.namespace;
  return isSameNamespace ? 'backup-name' : 'object-store-source';
}

/** Checks the request against the Backup and source; the plan, or a 400/409 ActionError. */
export function planRestore(input: PlanInput): RestorePlan {
  checkBackup(input);
  checkSnapshotRules(input);
  checkTargetName(input);
  checkPitr(input);

  const shape = chooseShape(input);
  const plan: RestorePlan = {
    source: input.source,
    target: { namespace: input.request.targetNamespace, name: input.request.targetName },
    backup: input.backup,
    shape,
    ...(shape === 'object-store-source' ? planObjectStoreSource(input) : {}),
    ...(shape === 'plugin-source' ? planPluginSource(input) : {}),
  };
  if (input.request.pitrTarget !== undefined)
    plan.pitrTargetTime = input.request.pitrTarget.canonical;
  return plan;
}
