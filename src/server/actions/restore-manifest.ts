// Builds the Cluster a restore creates: the allowlisted part of the source's
// spec plus a recovery bootstrap in one of three shapes (see RestorePlan).
// The new cluster gets no backup section and no WAL-archiving plugin, so it
// can never archive into its source's archive (CNPG would stall with
// "Expected empty archive", and worse, mix two timelines in one place).
import { deckhandLabels, restoreAnnotations } from './labels';
import { getPath, getRecord, type JsonObject } from './json';
import type { RestorePlan } from './restore-plan';
import { copyAllowedSpec } from './source-spec';

/** Fields of an in-tree object store a recovery reads; backup-only settings stay behind. */
const objectStoreFields = [
  'destinationPath',
  'endpointURL',
  'endpointCA',
  's3Credentials',
  'azureCredentials',
  'googleCredentials',
] as const;

function copyObjectStore(sourceCluster: JsonObject, serverName: string): JsonObject {
  const store = getRecord(sourceCluster, ['spec', 'backup', 'barmanObjectStore']) ?? {};
  const copy: JsonObject = {};
  for (const field of objectStoreFields) {
    if (store[field] !== undefined) copy[field] = structuredClone(store[field]);
  }
  copy.serverName = serverName;
  const maxParallel = getPath(store, ['wal', 'maxParallel']);
  const restoreArgs = getPath(store, ['wal', 'restoreAdditionalCommandArgs']);
  const wal: JsonObject = {};
  if (typeof maxParallel === 'number') wal.maxParallel = maxParallel;
  if (Array.isArray(restoreArgs)) wal.restoreAdditionalCommandArgs = structuredClone(restoreArgs);
  if (Object.keys(wal).length > 0) copy.wal = wal;
  return copy;
}

function externalCluster(plan: RestorePlan, sourceCluster: JsonObject): JsonObject {
  const name = plan.source.name;
  const serverName = plan.serverName ?? plan.source.name;
  if (plan.shape === 'plugin-source' && plan.plugin !== undefined) {
    return {
      name,
      plugin: {
        name: plan.plugin.name,
        parameters: { barmanObjectName: plan.plugin.barmanObjectName, serverName },
      },
    };
  }
  return { name, barmanObjectStore: copyObjectStore(sourceCluster, serverName) };
}

/**
 * The recovery target. A named Backup already fixes the base backup; with an
 * external cluster the chosen backup is pinned by its ID, or CNPG would pick
 * one on its own.
 */
function recoveryTarget(plan: RestorePlan): JsonObject | undefined {
  const target: JsonObject = {};
  if (plan.shape !== 'backup-name' && plan.backup.backupId !== undefined) {
    target.backupID = plan.backup.backupId;
  }
  if (plan.pitrTargetTime !== undefined) target.targetTime = plan.pitrTargetTime;
  return Object.keys(target).length > 0 ? target : undefined;
}

function bootstrap(plan: RestorePlan): JsonObject {
  const recovery: JsonObject =
    plan.shape === 'backup-name'
      ? { backup: { name: plan.backup.name } }
      : { source: plan.source.name };
  const target = recoveryTarget(plan);
  if (target !== undefined) recovery.recoveryTarget = target;
  return { recovery };
}

function metadata(plan: RestorePlan): JsonObject {
  const annotations: Record<string, string> = {
    [restoreAnnotations.sourceNamespace]: plan.source.namespace,
    [restoreAnnotations.sourceCluster]: plan.source.name,
    [restoreAnnotations.backup]: plan.backup.name,
  };
  if (plan.pitrTargetTime !== undefined)
    annotations[restoreAnnotations.targetTime] = plan.pitrTargetTime;
  return {
    name: plan.target.name,
    namespace: plan.target.namespace,
    labels: { [deckhandLabels.restoredBy]: 'deckhand' },
    annotations,
  };
}

/** The Cluster object to create for `plan`, from the source Cluster as fetched. */
export function buildRestoreManifest(plan: RestorePlan, sourceCluster: JsonObject): JsonObject {
  const spec: JsonObject = { ...copyAllowedSpec(sourceCluster), bootstrap: bootstrap(plan) };
  if (plan.shape !== 'backup-name') spec.externalClusters = [externalCluster(plan, sourceCluster)];
  return { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: metadata(plan), spec };
}
