// What a Cluster's CNPG status says about its state: health verdict, backup
// configuration and recoverability window, shared by the API, the metrics
// cache and the live-update hub. Derived from conditions and status fields;
// a phase is only ever compared whole with CNPG's own phase strings, never
// searched for words (phases are display strings). Optional fields may hold
// undefined: JSON serialization leaves them out.
import type { BackupMethod, Health, RecoverabilityWindow } from '../../contract/api';
import type { ClusterProjection, StoreReader } from './types';

/** The Barman Cloud plugin's name in `spec.plugins` and `pluginConfiguration`. */
export const barmanCloudPluginName = 'barman-cloud.cloudnative-pg.io';

/** The phase of a Cluster that needs nothing. */
const HEALTHY_PHASE = 'Cluster in healthy state';

/** Phases in which CNPG has stopped and waits for a person. */
const stuckPhases = new Set([
  'Cluster is unrecoverable and needs manual intervention',
  'Cluster cannot proceed to reconciliation due to an unknown plugin being required',
  'Cluster cannot proceed to reconciliation due to an error while interacting with plugins',
  'Cluster has incomplete or invalid image catalog',
  'Cluster cannot execute instance online upgrade due to missing architecture binary',
  'Unable to create required cluster objects',
  'Invalid cluster definition',
]);

/**
 * Severity used to combine verdicts: a known problem outranks not knowing,
 * so `critical` > `warning` > `unknown` > `healthy`.
 */
const healthRank: Record<Health, number> = { healthy: 0, unknown: 1, warning: 2, critical: 3 };

/** The worse of two verdicts; `unknown` only beats `healthy`. */
export function worseHealth(a: Health, b: Health): Health {
  return healthRank[b] > healthRank[a] ? b : a;
}

/** The worst of any number of verdicts; `healthy` for none. */
export function worstHealth(verdicts: Iterable<Health>): Health {
  let worst: Health = 'healthy';
  for (const verdict of verdicts) worst = worseHealth(worst, verdict);
  return worst;
}

function condition(cluster: ClusterProjection, type: string) {
  return cluster.conditions.find((c) => c.type === type);
}

/** `ContinuousArchiving` is False: WAL is not reaching the archive. */
export function isArchivingFailing(cluster: ClusterProjection): boolean {
  return condition(cluster, 'ContinuousArchiving')?.status === 'False';
}

/**
 * The last backup failed. `LastBackupSucceeded=False` with reason
 * `BackupStarted` only means a backup is running, so it does not count.
 */
export function hasLastBackupFailed(cluster: ClusterProjection): boolean {
  const last = condition(cluster, 'LastBackupSucceeded');
  return last?.status === 'False' && last.reason !== 'BackupStarted';
}

/** A backup is running right now, per `LastBackupSucceeded` reason `BackupStarted`. */
export function isBackupRunning(cluster: ClusterProjection): boolean {
  const last = condition(cluster, 'LastBackupSucceeded');
  return last?.status === 'False' && last.reason === 'BackupStarted';
}

/** A verdict and the plain-words reasons for it (none when healthy). */
export interface ClusterStateVerdict {
  health: Health;
  reasons: string[];
}

/**
 * Health of the Cluster object alone, metrics aside; the one rule behind the
 * overview, the detail page and the metrics route.
 *
 * - critical: CNPG is stuck in a phase that needs a person, or no instance
 *   is ready (except while the first primary is being set up, which is
 *   expected for a new or restoring cluster);
 * - warning: any other phase than `Cluster in healthy state`, the `Ready`
 *   condition not True, fewer ready instances than desired, WAL archiving
 *   failing, or the last backup failed.
 */
export function judgeClusterState(cluster: ClusterProjection): ClusterStateVerdict {
  const verdicts: [Health, string][] = [];
  const phase = cluster.phase === '' ? 'not reported yet' : `"${cluster.phase}"`;
  const isBootstrapping = cluster.phase === 'Setting up primary' || cluster.phase === '';
  if (stuckPhases.has(cluster.phase)) {
    verdicts.push(['critical', `cluster phase is ${phase}`]);
  } else if (cluster.phase !== HEALTHY_PHASE) {
    verdicts.push(['warning', `cluster phase is ${phase}`]);
  }
  if (cluster.desiredInstances > 0 && cluster.readyInstances === 0 && !isBootstrapping) {
    verdicts.push(['critical', 'no instance is ready']);
  } else if (cluster.readyInstances < cluster.desiredInstances) {
    verdicts.push([
      'warning',
      `${cluster.readyInstances} of ${cluster.desiredInstances} instances are ready`,
    ]);
  }
  if (condition(cluster, 'Ready')?.status !== 'True') {
    verdicts.push(['warning', 'the Ready condition is not True']);
  }
  if (isArchivingFailing(cluster)) {
    verdicts.push(['warning', 'continuous WAL archiving is failing']);
  }
  if (hasLastBackupFailed(cluster)) verdicts.push(['warning', 'the last backup failed']);
  return {
    health: worstHealth(verdicts.map(([health]) => health)),
    reasons: verdicts.map(([, reason]) => reason),
  };
}

/** `judgeClusterState` without the reasons. */
export function clusterStateHealth(cluster: ClusterProjection): Health {
  return judgeClusterState(cluster).health;
}

/** Plugin entry acting as WAL archiver, if the cluster uses one. */
export function walArchiverPlugin(cluster: ClusterProjection) {
  return cluster.plugins.find((p) => p.enabled && p.isWALArchiver);
}

/** Backup methods the cluster is configured for, the object-store kind first. */
export function backupMethods(cluster: ClusterProjection): BackupMethod[] {
  const methods: BackupMethod[] = [];
  if (cluster.hasBarmanObjectStore) methods.push('barmanObjectStore');
  if (walArchiverPlugin(cluster) !== undefined) methods.push('plugin');
  if (cluster.hasVolumeSnapshot) methods.push('volumeSnapshot');
  return methods;
}

/**
 * Window advertised by the Barman Cloud plugin's ObjectStore, keyed by the
 * plugin's `serverName` parameter or else the cluster's name.
 */
export function pluginRecoverability(
  cluster: ClusterProjection,
  store: StoreReader,
): RecoverabilityWindow | undefined {
  const plugin = walArchiverPlugin(cluster);
  if (plugin?.barmanObjectName === undefined) return undefined;

  const objectStore = store.get('objectstores', cluster.namespace, plugin.barmanObjectName);
  const window = objectStore?.serverRecoveryWindow[plugin.serverName ?? cluster.name];
  if (window === undefined) return undefined;
  return { start: window.firstRecoverabilityPoint, end: window.lastSuccessfulBackupTime };
}

/**
 * The cluster's recoverability window: CNPG's own status fields for in-tree
 * backups (not set for plugin backups since CNPG 1.26), else the plugin's
 * ObjectStore when a store is given.
 */
export function recoverabilityWindow(
  cluster: ClusterProjection,
  store?: StoreReader,
): RecoverabilityWindow {
  const inTree = { start: cluster.firstRecoverabilityPoint, end: cluster.lastSuccessfulBackup };
  if (inTree.start !== undefined || inTree.end !== undefined || store === undefined) return inTree;
  return pluginRecoverability(cluster, store) ?? inTree;
}

/** Window per method where CNPG reports one, plus the plugin's. */
export function recoverabilityByMethod(
  cluster: ClusterProjection,
  store?: StoreReader,
): Partial<Record<BackupMethod, RecoverabilityWindow>> {
  const result: Partial<Record<BackupMethod, RecoverabilityWindow>> = {};
  const methods: BackupMethod[] = ['barmanObjectStore', 'volumeSnapshot'];
  for (const method of methods) {
    const window = {
      start: cluster.firstRecoverabilityPointByMethod[method],
      end: cluster.lastSuccessfulBackupByMethod[method],
    };
    if (window.start !== undefined || window.end !== undefined) result[method] = window;
  }
  const plugin = store === undefined ? undefined : pluginRecoverability(cluster, store);
  if (plugin !== undefined) result.plugin = plugin;
  return result;
}
