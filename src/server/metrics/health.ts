// Health verdicts: per instance from its scraped numbers, per cluster from the
// instances and the Cluster's own state. docs/metrics.md explains every rule.
import type { Health, HealthThresholds } from '../../contract/api';
import { worstHealth } from '../store/cluster-state';
import type { InstanceReading } from './readings';

export const DEFAULT_THRESHOLDS: HealthThresholds = {
  replicationLagWarningSeconds: 10,
  replicationLagCriticalSeconds: 30,
  connectionsWarningRatio: 0.8,
  connectionsCriticalRatio: 0.9,
  diskWarningRatio: 0.8,
  diskCriticalRatio: 0.9,
};

/** Fills unset thresholds with defaults and rejects inverted or out-of-range pairs. */
export function resolveThresholds(overrides: Partial<HealthThresholds> = {}): HealthThresholds {
  const thresholds = { ...DEFAULT_THRESHOLDS, ...overrides };
  const pairs: [keyof HealthThresholds, keyof HealthThresholds, number][] = [
    ['replicationLagWarningSeconds', 'replicationLagCriticalSeconds', Infinity],
    ['connectionsWarningRatio', 'connectionsCriticalRatio', 1],
    ['diskWarningRatio', 'diskCriticalRatio', 1],
  ];
  for (const [warning, critical, max] of pairs) {
    const low = thresholds[warning];
    const high = thresholds[critical];
    if (!(low >= 0 && high >= low && high <= max)) {
      throw new Error(`health thresholds: need 0 <= ${warning} <= ${critical} <= ${max}`);
    }
  }
  return thresholds;
}

export interface Verdict {
  health: Health;
  reasons: string[];
}

export interface InstanceFacts {
  reading?: InstanceReading;
  scrapeError?: string;
  pvcCapacityBytes?: number;
  /** CNPG lists the instance under `failed` in `instancesStatus`. */
  isReportedFailed: boolean;
}

/** Judges one instance; an instance Deckhand cannot read is `unknown`. */
export function judgeInstance(facts: InstanceFacts, thresholds: HealthThresholds): Verdict {
  if (facts.scrapeError !== undefined || facts.reading === undefined) {
    return { health: 'unknown', reasons: ['metrics could not be scraped'] };
  }
  const reading = facts.reading;
  if (reading.isCollectorUp === false) {
    return { health: 'unknown', reasons: ['the exporter cannot reach PostgreSQL'] };
  }

  const checks: Verdict[] = [
    judgeLag(reading, thresholds),
    judgeConnections(reading, thresholds),
    judgeDisk(reading.databaseSizeBytes, facts.pvcCapacityBytes, thresholds),
    judgeStreaming(reading),
  ];
  if (facts.isReportedFailed) {
    checks.push({ health: 'warning', reasons: ['CNPG reports the instance as failed'] });
  }
  return {
    health: worstHealth(checks.map((check) => check.health)),
    reasons: checks.flatMap((check) => check.reasons),
  };
}

function judgeLag(reading: InstanceReading, thresholds: HealthThresholds): Verdict {
  const lag = reading.replicationLagSeconds;
  if (lag === undefined) return ok();
  const shown = `replication lag ${formatNumber(lag)} s`;
  if (lag > thresholds.replicationLagCriticalSeconds) {
    return bad('critical', `${shown} is above ${thresholds.replicationLagCriticalSeconds} s`);
  }
  if (lag > thresholds.replicationLagWarningSeconds) {
    return bad('warning', `${shown} is above ${thresholds.replicationLagWarningSeconds} s`);
  }
  return ok();
}

function judgeConnections(reading: InstanceReading, thresholds: HealthThresholds): Verdict {
  const { totalConnections: total, maxConnections: max } = reading;
  if (total === undefined || max === undefined || max <= 0) return ok();
  const ratio = total / max;
  const shown = `${total} of ${max} connections in use (${percent(ratio)})`;
  if (ratio > thresholds.connectionsCriticalRatio) {
    return bad('critical', `${shown}, above ${percent(thresholds.connectionsCriticalRatio)}`);
  }
  if (ratio > thresholds.connectionsWarningRatio) {
    return bad('warning', `${shown}, above ${percent(thresholds.connectionsWarningRatio)}`);
  }
  return ok();
}

function judgeDisk(
  size: number | undefined,
  capacity: number | undefined,
  thresholds: HealthThresholds,
): Verdict {
  if (size === undefined || capacity === undefined || capacity <= 0) return ok();
  const ratio = size / capacity;
  const shown = `databases fill ${percent(ratio)} of the data volume`;
  if (ratio > thresholds.diskCriticalRatio) {
    return bad('critical', `${shown}, above ${percent(thresholds.diskCriticalRatio)}`);
  }
  if (ratio > thresholds.diskWarningRatio) {
    return bad('warning', `${shown}, above ${percent(thresholds.diskWarningRatio)}`);
  }
  return ok();
}

/** CNPG's sample alert `ReplicaFailingReplication`: in recovery with no WAL receiver. */
function judgeStreaming(reading: InstanceReading): Verdict {
  if (reading.isReplica === true && reading.isWalReceiverUp === false) {
    return bad('warning', 'replica is not receiving WAL from the primary');
  }
  return ok();
}

/**
 * Combines instance verdicts with the Cluster's state. An instance that could
 * not be read while others could makes the cluster `warning` (something is
 * wrong with that pod or its exporter); when no instance could be read the
 * cluster is `unknown`, since that usually means Deckhand cannot reach the
 * exporters at all, not that the database is in trouble.
 */
export function judgeCluster(instances: Health[], clusterState: Health): Health {
  const known = instances.filter((health) => health !== 'unknown');
  const instanceHealth =
    instances.length === 0 || known.length === 0
      ? 'unknown'
      : worstHealth([...known, known.length < instances.length ? 'warning' : 'healthy']);
  return worstHealth([instanceHealth, clusterState]);
}

function ok(): Verdict {
  return { health: 'healthy', reasons: [] };
}

function bad(health: Health, reason: string): Verdict {
  return { health, reasons: [reason] };
}

function percent(ratio: number): string {
  return `${Math.round(ratio * 100)} %`;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
