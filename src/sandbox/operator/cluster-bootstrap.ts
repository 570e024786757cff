// A new Cluster up to its first primary: `Setting up primary` with Initialized
// False, the recovery source and the empty-archive check, the primary Pod, then
// Initialized True. Each call performs at most one step and says whether it did.
import type { KubeObject } from '../store/types';
import { archivingFailing, conditions, phase, rfc3339 } from './cnpg';
import { record } from './client';
import { emptyArchiveError } from './archive';
import type { OperatorContext } from './context';
import { clusterKey } from './context';
import { setPhase, updateClusterStatus, withConditions } from './cluster-status';
import { createInstance, startInstance } from './instance-actions';
import { bookkeepingStatus } from './cluster-bookkeeping';
import { clusterImage } from './instances';
import { planRecovery, recoverySpec } from './recovery';

export function bootstrapStep(ctx: OperatorContext, cluster: KubeObject): boolean {
  const name = cluster.metadata.name;
  const primaryName = `${name}-1`;
  if (cluster.status?.phase === undefined) return initializeStatus(ctx, cluster);
  if (cluster.status.phase === phase.unrecoverable) return false;

  const primary = ctx.index.podsOf(clusterKey(cluster)).get(primaryName);
  if (primary === undefined) {
    if (!isReadyToCreatePrimary(ctx, cluster)) return false;
    const isRecovery = record(record(cluster.spec?.bootstrap)?.recovery) !== undefined;
    ctx.events.record({
      object: cluster,
      type: 'Normal',
      reason: 'CreatingInstance',
      message: isRecovery ? 'Primary instance (from backup)' : 'Primary instance (initdb)',
    });
    createInstance(ctx, { cluster, podName: primaryName, role: 'primary' });
    updateClusterStatus(ctx, {
      cluster,
      mutate: (status) => {
        status.latestGeneratedNode = 1;
        status.instanceNames = [primaryName];
        status.instances = 1;
      },
    });
    return true;
  }
  if (primary.status?.phase !== 'Running') {
    startInstance(ctx, { cluster, pod: primary, isReady: true });
    return true;
  }
  markBootstrapped(ctx, { cluster, primaryName });
  return true;
}

function initializeStatus(ctx: OperatorContext, cluster: KubeObject): boolean {
  const name = cluster.metadata.name;
  return updateClusterStatus(ctx, {
    cluster,
    mutate: (status, now) => {
      setPhase(status, phase.firstPrimary, `Creating primary instance ${name}-1`);
      withConditions(status, [conditions.initializedPending, conditions.notReady], now);
      Object.assign(status, {
        instances: 0,
        readyInstances: 0,
        latestGeneratedNode: 0,
        targetPrimary: `${name}-1`,
        targetPrimaryTimestamp: rfc3339(now),
        image: clusterImage(cluster),
        writeService: `${name}-rw`,
        readService: `${name}-r`,
        ...bookkeepingStatus({ cluster, image: clusterImage(cluster), now }),
      });
    },
  });
}

/** Recovery source and archive checks; records why it waits or fails in the status. */
function isReadyToCreatePrimary(ctx: OperatorContext, cluster: KubeObject): boolean {
  const plan = planRecovery(ctx, cluster);
  if (plan.kind === 'waiting') ctx.waitingForBackup.add(clusterKey(cluster));
  else ctx.waitingForBackup.delete(clusterKey(cluster));
  if (plan.kind === 'waiting') {
    ctx.logger.debug({ cluster: clusterKey(cluster), reason: plan.reason }, 'recovery waiting');
    updateClusterStatus(ctx, {
      cluster,
      mutate: (status) => setPhase(status, phase.firstPrimary, plan.reason),
    });
    ctx.enqueueCluster(clusterKey(cluster), ctx.retryMs);
    return false;
  }
  if (plan.kind === 'failed') {
    ctx.logger.info({ cluster: clusterKey(cluster), reason: plan.reason }, 'recovery failed');
    updateClusterStatus(ctx, {
      cluster,
      mutate: (status) => setPhase(status, phase.unrecoverable, plan.reason),
    });
    return false;
  }

  const archiveError = emptyArchiveError(ctx, cluster);
  updateClusterStatus(ctx, {
    cluster,
    mutate: (status, now) => {
      setPhase(status, phase.firstPrimary, `Creating primary instance ${cluster.metadata.name}-1`);
      if (archiveError !== undefined) withConditions(status, [archivingFailing(archiveError)], now);
    },
  });
  if (archiveError !== undefined) {
    ctx.logger.info({ cluster: clusterKey(cluster) }, 'WAL archive of a new cluster is not empty');
    ctx.enqueueCluster(clusterKey(cluster), ctx.retryMs);
    return false;
  }
  return true;
}

function markBootstrapped(
  ctx: OperatorContext,
  options: { cluster: KubeObject; primaryName: string },
): void {
  const isRecovery = recoverySpec(options.cluster) !== undefined;
  updateClusterStatus(ctx, {
    cluster: options.cluster,
    mutate: (status, now) => {
      withConditions(status, [conditions.initializedDone], now);
      Object.assign(status, {
        currentPrimary: options.primaryName,
        targetPrimary: options.primaryName,
        currentPrimaryTimestamp: rfc3339(now),
        timelineID: isRecovery ? 2 : 1,
        readyInstances: 1,
        systemID: systemIdFor(options.cluster),
      });
    },
  });
}

/** A stable 19-digit PostgreSQL system identifier derived from the cluster's uid. */
function systemIdFor(cluster: KubeObject): string {
  const source = cluster.metadata.uid ?? cluster.metadata.name;
  let hash = 7n;
  for (const char of source) hash = (hash * 131n + BigInt(char.charCodeAt(0))) % 10n ** 18n;
  return `7${hash.toString().padStart(18, '0')}`;
}
