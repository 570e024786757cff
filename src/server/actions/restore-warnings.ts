// What a person must know or do after a restore, in plain words. No secret
// is named: the texts say which kind of credential must exist and where.
import { getRecord, type JsonObject } from './json';
import type { RestorePlan } from './restore-plan';
import { imageCatalogOf } from './source-spec';

function archivingWarning(plan: RestorePlan): string {
  const { namespace, name } = plan.target;
  return (
    `WAL archiving and backups are not configured on the new cluster ` +
    `"${name}" in namespace "${namespace}": configure them with a ` +
    `destination or server name of its own (not the source's) before ` +
    `relying on it`
  );
}

function latestStateWarning(plan: RestorePlan): string | undefined {
  if (plan.pitrTargetTime !== undefined || plan.backup.method === 'volumeSnapshot')
    return undefined;
  return (
    `no point in time was given: recovery starts from backup "${plan.backup.name}" ` +
    `and replays all WAL archived after it, so the new cluster reaches ` +
    `the latest state in the archive`
  );
}

function credentialWarnings(plan: RestorePlan, sourceCluster: JsonObject): string[] {
  const namespace = plan.target.namespace;
  if (plan.shape === 'object-store-source') {
    const store = getRecord(sourceCluster, ['spec', 'backup', 'barmanObjectStore']) ?? {};
    const warnings = [
      `the object store credentials referenced by the source's backup ` +
        `configuration must exist in namespace "${namespace}", under ` +
        `the same names`,
    ];
    if (store.endpointCA !== undefined) {
      warnings.push(
        `the object store's CA certificate referenced by the source must ` +
          `exist in namespace "${namespace}"`,
      );
    }
    return warnings;
  }
  if (
    plan.shape === 'plugin-source' &&
    plan.plugin !== undefined &&
    namespace !== plan.source.namespace
  ) {
    return [
      `the Barman Cloud ObjectStore "${plan.plugin.barmanObjectName}" ` +
        `must exist in namespace "${namespace}" with the same configuration ` +
        `as in "${plan.source.namespace}", together with the credentials ` +
        `it references`,
    ];
  }
  return [];
}

function imageCatalogWarning(plan: RestorePlan, sourceCluster: JsonObject): string | undefined {
  const catalog = imageCatalogOf(sourceCluster);
  if (catalog?.kind !== 'ImageCatalog' || plan.target.namespace === plan.source.namespace)
    return undefined;
  return `the ImageCatalog "${catalog.name}" must exist in namespace "${plan.target.namespace}"`;
}

function snapshotWarning(plan: RestorePlan): string | undefined {
  if (plan.backup.method !== 'volumeSnapshot') return undefined;
  return (
    `the VolumeSnapshots of backup "${plan.backup.name}" must still ` +
    `exist until the new cluster is ready`
  );
}

/** Warnings for the response, most important first. */
export function restoreWarnings(plan: RestorePlan, sourceCluster: JsonObject): string[] {
  const optional = [
    latestStateWarning(plan),
    snapshotWarning(plan),
    imageCatalogWarning(plan, sourceCluster),
  ];
  return [
    archivingWarning(plan),
    ...credentialWarnings(plan, sourceCluster),
    ...optional.filter((warning): warning is string => warning !== undefined),
  ];
}
