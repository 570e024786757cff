// Turns the kept samples of one CNPG exporter scrape into the numbers Deckhand
// shows. Metric names and labels come from CNPG's default monitoring queries
// (config/manager/default-monitoring.yaml) and its built-in collector.
import type { ParseResult, Sample } from './parser';

/** Sample names the scraper keeps; everything else in the exposition is skipped. */
export const WANTED_METRICS: ReadonlySet<string> = new Set([
  'cnpg_collector_up',
  'cnpg_backends_total',
  'cnpg_pg_settings_setting',
  'cnpg_pg_replication_lag',
  'cnpg_pg_replication_in_recovery',
  'cnpg_pg_replication_is_wal_receiver_up',
  'cnpg_pg_replication_streaming_replicas',
  'cnpg_pg_stat_replication_replay_diff_bytes',
  'cnpg_pg_database_size_bytes',
]);

/** Of the hundreds of settings the exporter sends, only max_connections is read. */
export const ONLY_SERIES: ReadonlyMap<string, { label: string; value: string }> = new Map([
  ['cnpg_pg_settings_setting', { label: 'name', value: 'max_connections' }],
]);

/**
 * What one scrape said about an instance. A field is undefined when the
 * exporter did not report it or reported NaN or an infinity.
 */
export interface InstanceReading {
  isCollectorUp?: boolean;
  active?: number;
  idle?: number;
  idleInTransaction?: number;
  totalConnections?: number;
  maxConnections?: number;
  replicationLagSeconds?: number;
  isReplica?: boolean;
  isWalReceiverUp?: boolean;
  streamingReplicas?: number;
  replayLagBytes?: number;
  databaseSizeBytes?: number;
}

export function readInstance(result: ParseResult): InstanceReading {
  const families = result.families;
  const single = (name: string): number | undefined => finiteOrUndefined(families.get(name)?.[0]);
  const flag = (name: string): boolean | undefined => {
    const value = single(name);
    return value === undefined ? undefined : value >= 1;
  };

  return {
    isCollectorUp: flag('cnpg_collector_up'),
    ...readBackends(families.get('cnpg_backends_total')),
    maxConnections: finiteOrUndefined(
      families.get('cnpg_pg_settings_setting')?.find((s) => s.labels.name === 'max_connections'),
    ),
    replicationLagSeconds: single('cnpg_pg_replication_lag'),
    isReplica: flag('cnpg_pg_replication_in_recovery'),
    isWalReceiverUp: flag('cnpg_pg_replication_is_wal_receiver_up'),
    streamingReplicas: single('cnpg_pg_replication_streaming_replicas'),
    replayLagBytes: largest(families.get('cnpg_pg_stat_replication_replay_diff_bytes')),
    databaseSizeBytes: sum(families.get('cnpg_pg_database_size_bytes')),
  };
}

/**
 * Counts backends by state. The exporter's own session
 * (`application_name=cnpg_metrics_exporter`) and WAL senders are counted like
 * any other backend: they hold connection slots against max_connections, and
 * the official CNPG Grafana dashboard counts them too, so both show the same
 * figures. `idleInTransaction` includes aborted transactions; `total` includes
 * every state, `fastpath function call` and `disabled` among them.
 */
function readBackends(samples: Sample[] | undefined): Partial<InstanceReading> {
  if (samples === undefined) return {};
  const counts = { active: 0, idle: 0, idleInTransaction: 0, totalConnections: 0 };
  for (const sample of samples) {
    if (!Number.isFinite(sample.value)) continue;
    counts.totalConnections += sample.value;
    const state = sample.labels.state;
    if (state === 'active') counts.active += sample.value;
    else if (state === 'idle') counts.idle += sample.value;
    else if (state === 'idle in transaction' || state === 'idle in transaction (aborted)') {
      counts.idleInTransaction += sample.value;
    }
  }
  return counts;
}

/** Largest replay gap of any standby; 0 when the primary has no standby rows. */
function largest(samples: Sample[] | undefined): number | undefined {
  if (samples === undefined) return undefined;
  let max = 0;
  for (const sample of samples) {
    if (Number.isFinite(sample.value) && sample.value > max) max = sample.value;
  }
  return max;
}

/** Sum over every database, `postgres` and templates included: they use the disk too. */
function sum(samples: Sample[] | undefined): number | undefined {
  if (samples === undefined) return undefined;
  let total = 0;
  for (const sample of samples) {
    if (Number.isFinite(sample.value)) total += sample.value;
  }
  return total;
}

function finiteOrUndefined(sample: Sample | undefined): number | undefined {
  if (sample === undefined || !Number.isFinite(sample.value)) return undefined;
  return sample.value;
}
