// A restore's progress, read from what Kubernetes records on the Cluster:
// its creation time, the `Initialized` and `Ready` conditions with their
// transition times, and CNPG's failure phases. Nothing is remembered between
// calls, so a restarted Deckhand gives the same answer for the same Cluster.
//
//   bootstrapping ── operator reconciles (Initialized=False) ──▶ recovering
//   recovering ── Initialized=True, Ready=True ──▶ ready
//   any ── a failure phase ──▶ failed
//
// `Failing over` and other transient phases are not failures: a restored
// cluster that loses its primary later is still a completed restore.
import type { ClusterCondition, RestoreStatus, RestoreTimestamps } from '../../contract/api';
import type { ClusterProjection } from '../store/types';
import { redactAddresses } from '../store/redact';
import { timeOf } from './rfc3339';

/** Phases in which CNPG stops and waits for a person (api/v1/cluster_types.go). */
export const restoreFailurePhases: ReadonlySet<string> = new Set([
  'Cluster is unrecoverable and needs manual intervention',
  'Invalid cluster definition',
  'Unable to create required cluster objects',
  'Cluster cannot proceed to reconciliation due to an unknown plugin being required',
  'Cluster cannot proceed to reconciliation due to an error while interacting with plugins',
]);

export interface RestoreStatusOptions {
  /** Time in one phase after which the message says the restore looks stuck. */
  stuckAfterMs: number;
}

export const defaultRestoreStatusOptions: RestoreStatusOptions = { stuckAfterMs: 30 * 60 * 1000 };

function condition(cluster: ClusterProjection, type: string): ClusterCondition | undefined {
  return cluster.conditions.find((entry) => entry.type === type);
}

/** The earliest or latest of some Kubernetes timestamps, skipping absent or malformed ones. */
function pickTime(times: (string | undefined)[], which: 'earliest' | 'latest'): string | undefined {
  let picked: { text: string; ms: number } | undefined;
  for (const text of times) {
    const ms = timeOf(text);
    if (text === undefined || ms === undefined) continue;
    const isBetter = picked === undefined || (which === 'latest' ? ms > picked.ms : ms < picked.ms);
    if (isBetter) picked = { text, ms };
  }
  return picked?.text;
}

function withLastTransition(timestamps: RestoreTimestamps): RestoreTimestamps {
  const last = pickTime(
    [
      timestamps.bootstrappingStartedAt,
      timestamps.recoveringStartedAt,
      timestamps.readyAt,
      timestamps.failedAt,
    ],
    'latest',
  );
  return last === undefined ? timestamps : { ...timestamps, lastTransitionAt: last };
}

function minutesSince(since: string | undefined, now: Date): number | undefined {
  const start = timeOf(since);
  return start === undefined ? undefined : Math.floor((now.getTime() - start) / 60_000);
}

function stuckNote(options: {
  since: string | undefined;
  now: Date;
  limitMs: number;
  doing: string;
}) {
  const minutes = minutesSince(options.since, options.now);
  if (minutes === undefined || minutes * 60_000 < options.limitMs) return '';
  return (
    `; it has been ${options.doing} for ${minutes} minutes, longer ` +
    `than expected: check the cluster's events and its recovery job`
  );
}

function failed(cluster: ClusterProjection, base: RestoreTimestamps): RestoreStatus {
  // CNPG records no time for entering a failure phase; the latest condition
  // transition is the closest record Kubernetes keeps.
  const failedAt =
    pickTime(
      cluster.conditions.map((entry) => entry.lastTransitionTime),
      'latest',
    ) ?? cluster.createdAt;
  const detail =
    cluster.phaseReason === '' ? cluster.phase : `${cluster.phase}: ${cluster.phaseReason}`;
  const error = redactAddresses(detail);
  return {
    phase: 'failed',
    phaseReason: 'restore error',
    message: error,
    error,
    timestamps: withLastTransition({ ...base, failedAt }),
  };
}

function ready(base: RestoreTimestamps, readyAt: string | undefined): RestoreStatus {
  const status: RestoreStatus = {
    phase: 'ready',
    phaseReason: 'ready',
    message: 'cluster is ready',
    timestamps: withLastTransition({ ...base, ...(readyAt === undefined ? {} : { readyAt }) }),
  };
  return status;
}

/**
 * When recovery began: `Initialized=False` is set when the operator first
 * reconciles the Cluster and starts the recovery job. Operators older than
 * CNPG 1.30 set no `Initialized`; their first condition stands in for it.
 * Once `Initialized` turns True the start is no longer on record.
 */
function recoveryStart(cluster: ClusterProjection, initialized: ClusterCondition | undefined) {
  if (initialized?.status === 'False') return initialized.lastTransitionTime;
  if (initialized === undefined)
    return pickTime(
      cluster.conditions.map((entry) => entry.lastTransitionTime),
      'earliest',
    );
  return undefined;
}

/** CNPG's phase and, when it gives one, its reason (a missing backup, say). */
function cnpgPhaseText(cluster: ClusterProjection): string {
  if (cluster.phase === '') return '';
  const reason = cluster.phaseReason === '' ? '' : `: ${redactAddresses(cluster.phaseReason)}`;
  return ` (CNPG: ${cluster.phase}${reason})`;
}

function recovering(
  cluster: ClusterProjection,
  context: {
    base: RestoreTimestamps;
    initialized: ClusterCondition | undefined;
    now: Date;
    options: RestoreStatusOptions;
  },
): RestoreStatus {
  const { base, initialized, now, options } = context;
  const isBootstrapDone = initialized?.status === 'True';
  const recoveringStartedAt = recoveryStart(cluster, initialized);
  const timestamps = withLastTransition({
    ...base,
    ...(recoveringStartedAt === undefined ? {} : { recoveringStartedAt }),
  });
  const phaseText = cnpgPhaseText(cluster);
  if (isBootstrapDone) {
    const since = initialized?.lastTransitionTime;
    const doing = 'waiting for its instances';
    const note = stuckNote({ since, now, limitMs: options.stuckAfterMs, doing });
    return {
      phase: 'recovering',
      phaseReason: 'starting instances',
      message:
        `data restored; ${cluster.readyInstances} of ${cluster.desiredInstances} ` +
        `instances ready${phaseText}${note}`,
      timestamps,
    };
  }
  const since = recoveringStartedAt ?? cluster.createdAt;
  const note = stuckNote({ since, now, limitMs: options.stuckAfterMs, doing: 'recovering' });
  return {
    phase: 'recovering',
    phaseReason: 'restoring backup',
    message: `restoring the backup and replaying WAL${phaseText}${note}`,
    timestamps,
  };
}

function bootstrapping(
  cluster: ClusterProjection,
  base: RestoreTimestamps,
  now: Date,
  options: RestoreStatusOptions,
) {
  const doing = 'waiting for the operator';
  const note = stuckNote({ since: cluster.createdAt, now, limitMs: options.stuckAfterMs, doing });
  const status: RestoreStatus = {
    phase: 'bootstrapping',
    phaseReason: 'waiting for operator',
    message:
      `restore cluster resource created; waiting for the CNPG operator ` +
      `to start recovery${note}`,
    timestamps: withLastTransition(base),
  };
  return status;
}

/** The restore phase and its timestamps for a Cluster bootstrapped by recovery. */
export function deriveRestoreStatus(
  cluster: ClusterProjection,
  now: Date,
  options: RestoreStatusOptions = defaultRestoreStatusOptions,
): RestoreStatus {
  const base: RestoreTimestamps = { bootstrappingStartedAt: cluster.createdAt };
  if (restoreFailurePhases.has(cluster.phase)) return failed(cluster, base);

  const readyCondition = condition(cluster, 'Ready');
  const initialized = condition(cluster, 'Initialized');
  const isInitialized = initialized === undefined || initialized.status === 'True';
  if (readyCondition?.status === 'True' && isInitialized) {
    return ready(base, readyCondition.lastTransitionTime);
  }

  const isOperatorSeen = cluster.phase !== '' || cluster.conditions.length > 0;
  if (!isOperatorSeen) return bootstrapping(cluster, base, now, options);
  return recovering(cluster, { base, initialized, now, options });
}
