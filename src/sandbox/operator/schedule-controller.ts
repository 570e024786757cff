// ScheduledBackups: six-field cron with seconds first (robfig/cron as CNPG
// uses it), `immediate` and `suspend`, Backups named `<schedule>-<YYYYMMDDHHMMSS>`.
//
// Schedules follow real wall-clock time whatever the simulation speed: a
// schedule is a promise about the clock, and speeding it up would make the
// times shown (`nextScheduleTime`) lie. Scenarios that want activity use
// schedules firing every minute or so; `immediate` fires at once.
import { CronExpressionParser } from 'cron-parser';
import type { KubeObject } from '../store/types';
import { labels, rfc3339 } from './cnpg';
import { isConflict, keyOf, patchStatus, record, text } from './client';
import type { OperatorContext } from './context';

/**
 * CNPG reads a five-field schedule as seconds-first too (`0 1 * * *` fires at
 * minute 1 of every hour): appending the optional day-of-week field makes
 * cron-parser read it the same way.
 */
export function nextRun(schedule: string, after: Date): Date {
  const trimmed = schedule.trim();
  const fields = trimmed.split(/\s+/);
  const expression = !trimmed.startsWith('@') && fields.length === 5 ? `${trimmed} *` : trimmed;
  return CronExpressionParser.parse(expression, { currentDate: after, tz: 'UTC' }).next().toDate();
}

/** `20261203142500`: the suffix CNPG gives backups created by a schedule. */
export function scheduleSuffix(at: Date): string {
  return at.toISOString().slice(0, 19).replace(/[-:T]/g, '');
}

export interface ScheduleResult {
  /** When to look at this schedule again, in ms from now; undefined for never. */
  wakeInMs: number | undefined;
}

export function reconcileSchedule(ctx: OperatorContext, schedule: KubeObject): ScheduleResult {
  const now = ctx.now();
  const spec = schedule.spec ?? {};
  const expression = text(spec.schedule) ?? '';
  if (spec.suspend === true) {
    updateScheduleStatus(ctx, { schedule, fields: { lastCheckTime: rfc3339(now) } });
    return { wakeInMs: undefined };
  }

  let next: Date;
  try {
    next = nextRun(expression, now);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    updateScheduleStatus(ctx, {
      schedule,
      fields: { error: message, lastCheckTime: rfc3339(now) },
    });
    return { wakeInMs: undefined };
  }

  const status = schedule.status ?? {};
  const due = Date.parse(text(status.nextScheduleTime) ?? '');
  const isFirstRun = status.lastScheduleTime === undefined && status.nextScheduleTime === undefined;
  const shouldFire =
    (isFirstRun && spec.immediate === true) || (!Number.isNaN(due) && due <= now.getTime());
  if (shouldFire) createScheduledBackup(ctx, { schedule, at: now, isImmediate: isFirstRun });

  updateScheduleStatus(ctx, {
    schedule,
    fields: {
      lastCheckTime: rfc3339(now),
      nextScheduleTime: rfc3339(next),
      ...(shouldFire ? { lastScheduleTime: rfc3339(now) } : {}),
    },
  });
  return { wakeInMs: next.getTime() - now.getTime() };
}

function createScheduledBackup(
  ctx: OperatorContext,
  options: { schedule: KubeObject; at: Date; isImmediate: boolean },
): void {
  const { schedule, at } = options;
  const spec = schedule.spec ?? {};
  const namespace = schedule.metadata.namespace ?? 'default';
  const clusterName = text(record(spec.cluster)?.name) ?? '';
  const backup: KubeObject = {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Backup',
    metadata: {
      name: `${schedule.metadata.name}-${scheduleSuffix(at)}`,
      namespace,
      labels: {
        [labels.scheduledBackup]: schedule.metadata.name,
        [labels.cluster]: clusterName,
        ...(options.isImmediate ? { [labels.immediateBackup]: 'true' } : {}),
      },
      ...ownerOf(ctx, { schedule, clusterName }),
    },
    spec: {
      cluster: { name: clusterName },
      ...copyFields(spec, [
        'method',
        'target',
        'pluginConfiguration',
        'online',
        'onlineConfiguration',
      ]),
    },
  };
  try {
    ctx.store.create(ctx.resources.backups, backup);
    ctx.logger.info(
      { namespace, schedule: schedule.metadata.name, backup: backup.metadata.name },
      'scheduled backup created',
    );
  } catch (error) {
    if (!isConflict(error)) throw error;
  }
}

function ownerOf(
  ctx: OperatorContext,
  options: { schedule: KubeObject; clusterName: string },
): { ownerReferences?: NonNullable<KubeObject['metadata']['ownerReferences']> } {
  const mode = options.schedule.spec?.backupOwnerReference;
  const owner =
    mode === 'self'
      ? options.schedule
      : mode === 'cluster'
        ? ctx.store.get(
            ctx.resources.clusters,
            options.schedule.metadata.namespace,
            options.clusterName,
          )
        : undefined;
  if (owner === undefined) return {};
  return {
    ownerReferences: [
      {
        apiVersion: owner.apiVersion,
        kind: owner.kind,
        name: owner.metadata.name,
        uid: owner.metadata.uid ?? '',
        controller: true,
      },
    ],
  };
}

function copyFields(source: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of keys) if (source[key] !== undefined) copy[key] = structuredClone(source[key]);
  return copy;
}

function updateScheduleStatus(
  ctx: OperatorContext,
  options: { schedule: KubeObject; fields: Record<string, unknown> },
): void {
  patchStatus({
    store: ctx.store,
    resource: ctx.resources.scheduledBackups,
    namespace: options.schedule.metadata.namespace ?? 'default',
    name: options.schedule.metadata.name,
    mutate: (status) => void Object.assign(status, options.fields),
  });
}

export function scheduleKey(schedule: KubeObject): string {
  return keyOf(schedule.metadata.namespace ?? 'default', schedule.metadata.name);
}
