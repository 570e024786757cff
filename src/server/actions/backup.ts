// Creates an on-demand CNPG Backup. The manifest holds only what the plan
// decided (cluster, method, target, plugin); everything else is CNPG's to fill.
import type { BackupSummary } from '../../contract/api';
import type { ApiDeps } from '../api/deps';
import { type BackupPlan, parseBackupRequest, planBackup } from './backup-request';
import { createObject } from './cnpg-api';
import { clusterNotFound } from './errors';
import { getString, type JsonObject } from './json';
import { deckhandLabels } from './labels';

/** Builds the Backup object to create. */
export function buildBackupManifest(options: {
  namespace: string;
  clusterName: string;
  plan: BackupPlan;
}): JsonObject {
  const { namespace, clusterName, plan } = options;
  const spec: JsonObject = { cluster: { name: clusterName }, method: plan.method };
  if (plan.requestedTarget !== undefined) spec.target = plan.requestedTarget;
  if (plan.pluginName !== undefined) spec.pluginConfiguration = { name: plan.pluginName };
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Backup',
    metadata: {
      generateName: `${clusterName}-manual-`,
      namespace,
      labels: { [deckhandLabels.createdBy]: 'deckhand' },
    },
    spec,
  };
}

/**
 * The summary of a Backup the API server just returned. A new Backup has no
 * status until the operator picks it up; it is reported as `pending`, the
 * phase CNPG itself gives a Backup that waits to run.
 */
export function summarizeCreatedBackup(created: JsonObject, plan: BackupPlan): BackupSummary {
  const summary: BackupSummary = {
    namespace: getString(created, ['metadata', 'namespace']) ?? '',
    name: getString(created, ['metadata', 'name']) ?? '',
    clusterName: getString(created, ['spec', 'cluster', 'name']) ?? '',
    phase: getString(created, ['status', 'phase']) || 'pending',
    method: plan.method,
    target: plan.effectiveTarget,
  };
  const createdAt = getString(created, ['metadata', 'creationTimestamp']);
  if (createdAt !== undefined) summary.createdAt = createdAt;
  const startedAt = getString(created, ['status', 'startedAt']);
  if (startedAt !== undefined) summary.startedAt = startedAt;
  return summary;
}

/** Handles `POST .../backups` past the read-only check: 201 body or an ActionError. */
export async function createBackup(
  deps: Pick<ApiDeps, 'store' | 'kubeConfig' | 'logger'>,
  input: { namespace: string; name: string; body: unknown },
): Promise<{ backup: BackupSummary }> {
  const request = parseBackupRequest(input.body);
  const cluster = deps.store.get('clusters', input.namespace, input.name);
  if (cluster === undefined) throw clusterNotFound(input.namespace, input.name);

  const plan = planBackup(cluster, request);
  const manifest = buildBackupManifest({
    namespace: input.namespace,
    clusterName: input.name,
    plan,
  });
  const created = await createObject(deps.kubeConfig, {
    plural: 'backups',
    namespace: input.namespace,
    body: manifest,
    context: { verb: 'create backups', namespace: input.namespace },
  });
  const backup = summarizeCreatedBackup(created, plan);
  deps.logger.info(
    {
      namespace: input.namespace,
      cluster: input.name,
      backup: backup.name,
      method: plan.method,
      target: plan.effectiveTarget,
      plugin: plan.pluginName,
    },
    'backup created',
  );
  return { backup };
}
