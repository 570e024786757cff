// The summary part of a bootstrapped Cluster's status: counts, instancesStatus,
// instancesReportedState, the Ready and ContinuousArchiving conditions and the
// phase that follows from them.
import type { KubeObject } from '../store/types';
import { archivingFailing, conditions, phase, pluginName, sandboxAnnotations } from './cnpg';
import { barmanPlugin, walArchiveOf } from './archive';
import { record } from './client';
import type { OperatorContext } from './context';
import { setPhase, updateClusterStatus, withConditions, withoutCondition } from './cluster-status';
import { desiredInstances, isPodReady } from './instances';

export function syncClusterStatus(
  ctx: OperatorContext,
  options: {
    cluster: KubeObject;
    pods: Map<string, KubeObject>;
    instanceNames: string[];
    /** `counts` leaves the phase and conditions alone (a lifecycle step may be about to set them). */
    scope: 'counts' | 'all';
  },
): void {
  const { cluster, pods, instanceNames } = options;
  const ready = instanceNames.filter((name) => {
    const pod = pods.get(name);
    return pod !== undefined && isPodReady(pod);
  });
  const failed = instanceNames.filter((name) => !ready.includes(name));
  const isHealthy =
    failed.length === 0 && instanceNames.length === desiredInstances(cluster) && ready.length > 0;
  const isSettled =
    instanceNames.length === desiredInstances(cluster) &&
    instanceNames.every((name) => pods.get(name)?.status?.phase === 'Running');
  const archiveError = cluster.metadata.annotations?.[sandboxAnnotations.archivingError];
  const hasArchive = walArchiveOf(ctx, cluster) !== undefined;

  updateClusterStatus(ctx, {
    cluster,
    mutate: (status, now) => {
      status.instances = instanceNames.length;
      status.readyInstances = ready.length;
      status.instancesStatus =
        failed.length === 0 ? { healthy: ready } : { healthy: ready, failed };
      status.instancesReportedState = reportedState({ pods, instanceNames, status });
      status.healthyPVC = instanceNames.flatMap((name) => pvcNamesOf(cluster, name));
      if (barmanPlugin(cluster) !== undefined) status.pluginStatus = [pluginStatus()];
      if (options.scope === 'counts') return;

      if (isHealthy) {
        setPhase(status, phase.healthy, '');
        withConditions(status, [conditions.ready], now);
      } else {
        if (isSettled || status.phase === phase.healthy) {
          setPhase(status, phase.waitingForInstances, '');
        }
        withConditions(status, [conditions.notReady], now);
      }

      if (!hasArchive) withoutCondition(status, 'ContinuousArchiving');
      else if (archiveError !== undefined && archiveError !== '') {
        withConditions(status, [archivingFailing(archiveError)], now);
      } else withConditions(status, [conditions.archiving], now);
    },
  });
}

function reportedState(options: {
  pods: Map<string, KubeObject>;
  instanceNames: string[];
  status: Record<string, unknown>;
}): Record<string, unknown> {
  const state: Record<string, unknown> = {};
  for (const name of options.instanceNames) {
    const pod = options.pods.get(name);
    if (pod === undefined || !isPodReady(pod)) continue;
    state[name] = {
      isPrimary: name === options.status.currentPrimary,
      timeLineID: Number(options.status.timelineID ?? 1),
      ip: String(pod.status?.podIP ?? ''),
    };
  }
  return state;
}

function pvcNamesOf(cluster: KubeObject, podName: string): string[] {
  return record(cluster.spec?.walStorage) === undefined ? [podName] : [podName, `${podName}-wal`];
}

function pluginStatus(): Record<string, unknown> {
  return {
    name: pluginName,
    version: '0.14.0',
    capabilities: ['TYPE_RECONCILER_HOOKS', 'TYPE_LIFECYCLE_SERVICE'],
    backupCapabilities: ['TYPE_BACKUP'],
    walCapabilities: ['TYPE_ARCHIVE_WAL', 'TYPE_RESTORE_WAL'],
    restoreJobHookCapabilities: ['TYPE_RESTORE'],
    status: '',
  };
}
