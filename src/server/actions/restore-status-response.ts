// `GET .../restore-status` for a cluster created by a restore.
import type { RestoreStatusResponse } from '../../contract/api';
import type { StoreReader } from '../store/types';
import { clusterNotFound, describeCluster, notFound } from './errors';
import { restoreAnnotations } from './labels';
import { deriveRestoreStatus, type RestoreStatusOptions } from './restore-status';

/**
 * The restore progress of the Cluster at `key`. A Cluster that was not
 * bootstrapped from a backup has no restore to report: 404, like a missing one.
 */
export function restoreStatusResponse(options: {
  store: StoreReader;
  key: { namespace: string; name: string };
  now: Date;
  statusOptions?: RestoreStatusOptions;
}): RestoreStatusResponse {
  const { namespace, name } = options.key;
  const cluster = options.store.get('clusters', namespace, name);
  if (cluster === undefined) throw clusterNotFound(namespace, name);
  if (!cluster.isRecoveryBootstrap) {
    throw notFound(
      `${describeCluster(namespace, name)} was not bootstrapped from ` +
        `a backup, so it has no restore status`,
    );
  }
  const response: RestoreStatusResponse = {
    cluster: {
      namespace,
      name,
      desiredInstances: cluster.desiredInstances,
      readyInstances: cluster.readyInstances,
    },
    status: deriveRestoreStatus(cluster, options.now, options.statusOptions),
  };
  const sourceNamespace = cluster.annotations[restoreAnnotations.sourceNamespace];
  const sourceName = cluster.annotations[restoreAnnotations.sourceCluster];
  const backupName = cluster.annotations[restoreAnnotations.backup];
  if (sourceNamespace !== undefined && sourceName !== undefined && backupName !== undefined) {
    response.source = { namespace: sourceNamespace, name: sourceName, backupName };
  }
  return response;
}
