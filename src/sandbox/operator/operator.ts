// The simulated CNPG operator: watches the store as the real one watches the
// API, and moves Clusters, Backups and ScheduledBackups through CNPG's
// lifecycle with its exact phases, reasons and conditions. Lifecycle steps
// take `2 s / speed` each; missing dependencies are retried after `30 s / speed`.
import type { Logger } from 'pino';
import type { KubeObject, ObjectStore, StoreEvent } from '../store/types';
import { reconcileBackup } from './backup-controller';
import { deleteIfPresent, keyOf, lookupResources } from './client';
import { bootstrapStep } from './cluster-bootstrap';
import { maintainStep } from './cluster-maintain';
import { findCondition } from './cnpg';
import { clusterKey, splitKey, type OperatorContext } from './context';
import { EventRecorder } from './events';
import { InstanceIndex } from './index-cache';
import { PodIpAllocator } from './pod-ips';
import { WorkQueue } from './queue';
import { reconcileSchedule, scheduleKey } from './schedule-controller';

export interface OperatorOptions {
  store: ObjectStore;
  logger: Logger;
  /** Simulation speed: 1 is a pace a person can follow, tests use 50-200. */
  speed: number;
  ips?: PodIpAllocator;
}

export interface Operator {
  readonly ips: PodIpAllocator;
  readonly index: InstanceIndex;
  close(): void;
}

const baseStepMs = 2_000;
const baseRetryMs = 30_000;

export function startOperator(options: OperatorOptions): Operator {
  const logger = options.logger.child({ component: 'operator' });
  const speed = options.speed > 0 ? options.speed : 1;
  const pacing = new Map<string, number>();
  const scheduleGenerations = new Map<string, number>();

  const resources = lookupResources(options.store);
  const now = () => new Date();
  const ctx: OperatorContext = {
    store: options.store,
    resources,
    logger,
    stepMs: baseStepMs / speed,
    retryMs: baseRetryMs / speed,
    ips: options.ips ?? new PodIpAllocator(),
    index: new InstanceIndex(),
    now,
    enqueueCluster: (key, delayMs) => clusters.add(key, delayMs),
    enqueueBackup: (key, delayMs) => backups.add(key, delayMs),
    waitingForBackup: new Set(),
    events: new EventRecorder({ store: options.store, resource: resources.events, now, logger }),
  };

  const paced = (kind: string, key: string, step: () => boolean): void => {
    const pacingKey = `${kind}:${key}`;
    const notBefore = pacing.get(pacingKey) ?? 0;
    const wait = notBefore - Date.now();
    const queue = kind === 'cluster' ? clusters : backups;
    if (wait > 0) return queue.add(key, wait);
    if (!step()) return;
    pacing.set(pacingKey, Date.now() + ctx.stepMs);
    queue.add(key, ctx.stepMs);
  };

  const clusters = new WorkQueue({
    name: 'clusters',
    logger,
    retryBaseMs: ctx.stepMs,
    reconcile: (key) => {
      const { namespace, name } = splitKey(key);
      const cluster = ctx.store.get(ctx.resources.clusters, namespace, name);
      if (cluster === undefined) {
        pacing.delete(`cluster:${key}`);
        ctx.waitingForBackup.delete(key);
        return collectOrphans(ctx, key);
      }
      if (cluster.metadata.deletionTimestamp !== undefined) return;
      const isInitialized =
        findCondition(cluster.status?.conditions, 'Initialized')?.status === 'True';
      paced('cluster', key, () =>
        isInitialized ? maintainStep(ctx, cluster) : bootstrapStep(ctx, cluster),
      );
    },
  });

  const backups = new WorkQueue({
    name: 'backups',
    logger,
    retryBaseMs: ctx.stepMs,
    reconcile: (key) => {
      const { namespace, name } = splitKey(key);
      const backup = ctx.store.get(ctx.resources.backups, namespace, name);
      if (backup === undefined) return void pacing.delete(`backup:${key}`);
      paced('backup', key, () => reconcileBackup(ctx, backup));
    },
  });

  const schedules = new WorkQueue({
    name: 'scheduledbackups',
    logger,
    retryBaseMs: ctx.stepMs,
    reconcile: (key) => {
      const { namespace, name } = splitKey(key);
      const schedule = ctx.store.get(ctx.resources.scheduledBackups, namespace, name);
      if (schedule === undefined) return void scheduleGenerations.delete(key);
      const { wakeInMs } = reconcileSchedule(ctx, schedule);
      if (wakeInMs !== undefined) schedules.add(key, wakeInMs);
    },
  });

  const onEvent = (event: StoreEvent): void => {
    const object = event.object;
    const resource = event.resource;
    if (resource === ctx.resources.pods) {
      const key = event.type === 'DELETED' ? ctx.index.removePod(object) : ctx.index.putPod(object);
      if (key === undefined) return;
      clusters.add(key);
      // A pod that becomes ready may be what a pending backup waits for.
      if (event.type !== 'DELETED') wakePending(ctx, key);
    } else if (resource === ctx.resources.backups) {
      for (const waiting of ctx.waitingForBackup) clusters.add(waiting);
      const key =
        event.type === 'DELETED' ? ctx.index.removeBackup(object) : ctx.index.putBackup(object);
      if (event.type !== 'DELETED')
        backups.add(keyOf(object.metadata.namespace ?? 'default', object.metadata.name));
      if (key !== undefined && event.type === 'DELETED') wakePending(ctx, key);
    } else if (resource === ctx.resources.clusters) {
      clusters.add(clusterKey(object));
      wakePending(ctx, clusterKey(object));
    } else if (resource === ctx.resources.scheduledBackups) {
      onScheduleEvent(event, { schedules, generations: scheduleGenerations });
    }
  };

  seedIndex(ctx);
  const unsubscribe = ctx.store.subscribe((event) => {
    try {
      onEvent(event);
    } catch (error) {
      logger.error({ err: error }, 'operator failed to handle a store event');
    }
  });
  enqueueExisting({ ctx, clusters, backups, schedules, scheduleGenerations });
  logger.debug({ speed, stepMs: ctx.stepMs }, 'operator started');

  return {
    ips: ctx.ips,
    index: ctx.index,
    close: () => {
      unsubscribe();
      clusters.close();
      backups.close();
      schedules.close();
    },
  };
}

/** Status writes to a schedule (ours) need no reconcile; spec changes and deletions do. */
function onScheduleEvent(
  event: StoreEvent,
  state: { schedules: WorkQueue; generations: Map<string, number> },
): void {
  const key = scheduleKey(event.object);
  if (event.type === 'DELETED') {
    state.generations.delete(key);
    return;
  }
  const generation = event.object.metadata.generation ?? 0;
  if (state.generations.get(key) === generation) return;
  state.generations.set(key, generation);
  state.schedules.add(key);
}

function seedIndex(ctx: OperatorContext): void {
  for (const pod of ctx.store.list(ctx.resources.pods).items) ctx.index.putPod(pod);
  for (const backup of ctx.store.list(ctx.resources.backups).items) ctx.index.putBackup(backup);
}

/** Objects already in the store when the operator starts get one look each, like an informer's initial list. */
function enqueueExisting(options: {
  ctx: OperatorContext;
  clusters: WorkQueue;
  backups: WorkQueue;
  schedules: WorkQueue;
  scheduleGenerations: Map<string, number>;
}): void {
  const { ctx } = options;
  for (const cluster of ctx.store.list(ctx.resources.clusters).items) {
    if (!isSettled(cluster)) options.clusters.add(clusterKey(cluster));
  }
  for (const backup of ctx.store.list(ctx.resources.backups).items) {
    const phase = backup.status?.phase;
    if (phase === 'completed' || phase === 'failed') continue;
    options.backups.add(keyOf(backup.metadata.namespace ?? 'default', backup.metadata.name));
  }
  const now = ctx.now().getTime();
  for (const schedule of ctx.store.list(ctx.resources.scheduledBackups).items) {
    const key = scheduleKey(schedule);
    options.scheduleGenerations.set(key, schedule.metadata.generation ?? 0);
    options.schedules.add(key, Math.max(0, upcomingRun(schedule) - now));
  }
}

/**
 * When a schedule's status already names a future run (a seeded schedule), the
 * first look waits for it: looking now would only compute that same time again
 * and refresh lastCheckTime, which costs about a millisecond of cron parsing
 * per schedule, ten seconds of startup for 10,000 of them. Spec changes still
 * bring a schedule forward through its events.
 */
function upcomingRun(schedule: KubeObject): number {
  if (schedule.spec?.suspend === true) return 0;
  const next = schedule.status?.nextScheduleTime;
  const at = typeof next === 'string' ? Date.parse(next) : Number.NaN;
  return Number.isNaN(at) ? 0 : at;
}

/** A healthy cluster seeded in its final state needs no reconcile until something changes. */
function isSettled(cluster: KubeObject): boolean {
  return findCondition(cluster.status?.conditions, 'Ready')?.status === 'True';
}

function wakePending(ctx: OperatorContext, clusterKeyValue: string): void {
  const { namespace } = splitKey(clusterKeyValue);
  for (const backup of ctx.index.backupsOf(clusterKeyValue).values()) {
    if (backup.status?.phase === 'pending')
      ctx.enqueueBackup(keyOf(namespace, backup.metadata.name));
  }
}

/** A deleted Cluster takes its Pods and PVCs with it, as the garbage collector does for owned objects. */
function collectOrphans(ctx: OperatorContext, key: string): void {
  const { namespace } = splitKey(key);
  for (const pod of [...ctx.index.podsOf(key).values()]) {
    if (pod.metadata.deletionTimestamp !== undefined) continue;
    deleteIfPresent({
      store: ctx.store,
      resource: ctx.resources.pods,
      namespace,
      name: pod.metadata.name,
    });
    const pvcs = ctx.resources.pvcs;
    if (pvcs === undefined) continue;
    for (const suffix of ['', '-wal']) {
      deleteIfPresent({
        store: ctx.store,
        resource: pvcs,
        namespace,
        name: `${pod.metadata.name}${suffix}`,
      });
    }
  }
}
