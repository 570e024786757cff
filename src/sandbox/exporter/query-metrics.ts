// The default queries' metrics (config/manager/default-monitoring.yaml):
// `cnpg_<query>_<column>` with the query's label columns and descriptions.
import { counter, gauge, type MetricFamily, type Sample } from './text-format';
import type { InstanceState } from './instance-state';
import { between, unit } from './signal';

const backendLabels = (options: {
  datname: string;
  usename: string;
  applicationName: string;
  state: string;
}) => ({
  datname: options.datname,
  usename: options.usename,
  application_name: options.applicationName,
  state: options.state,
});

/** Rows of pg_stat_activity grouped as the `backends` query does; they add up to `connections`. */
function backendRows(
  state: InstanceState,
): { labels: Record<string, string>; count: number; maxTx: number }[] {
  const own = {
    datname: 'postgres',
    usename: 'postgres',
    applicationName: 'cnpg_metrics_exporter',
    state: 'active',
  };
  const walsenders = state.isPrimary ? state.readyStandbys.length : 0;
  const app = Math.max(0, state.connections - 1 - walsenders);
  const active = Math.round(
    app * between({ key: `${state.key}/active`, seconds: state.seconds }, 0.15, 0.4),
  );
  const idleInTx = Math.min(app - active, Math.round(app * 0.06));
  const idle = app - active - idleInTx;
  const rows = [
    { labels: backendLabels(own), count: 1, maxTx: 0 },
    {
      labels: backendLabels({
        datname: 'app',
        usename: 'app',
        applicationName: 'app-backend',
        state: 'active',
      }),
      count: active,
      maxTx: between({ key: `${state.key}/tx`, seconds: state.seconds }, 0.01, 4),
    },
    {
      labels: backendLabels({
        datname: 'app',
        usename: 'app',
        applicationName: 'app-backend',
        state: 'idle',
      }),
      count: idle,
      maxTx: 0,
    },
    {
      labels: backendLabels({
        datname: 'app',
        usename: 'app',
        applicationName: 'app-backend',
        state: 'idle in transaction',
      }),
      count: idleInTx,
      maxTx: between({ key: `${state.key}/idletx`, seconds: state.seconds }, 0.5, 40),
    },
  ];
  for (const standby of state.isPrimary ? state.readyStandbys : []) {
    rows.push({
      labels: backendLabels({
        datname: '',
        usename: 'streaming_replica',
        applicationName: standby.metadata.name,
        state: 'active',
      }),
      count: 1,
      maxTx: 0,
    });
  }
  return rows.filter((row) => row.count > 0);
}

export function backendFamilies(state: InstanceState): MetricFamily[] {
  const rows = backendRows(state);
  return [
    gauge(
      'cnpg_backends_total',
      'Number of backends',
      rows.map((row) => ({ labels: row.labels, value: row.count })),
    ),
    gauge(
      'cnpg_backends_max_tx_duration_seconds',
      'Maximum duration of a transaction in seconds',
      rows.map((row) => ({ labels: row.labels, value: Math.round(row.maxTx * 1000) / 1000 })),
    ),
    gauge(
      'cnpg_backends_waiting_total',
      'Total number of backends that are currently waiting on other queries',
      [
        {
          value: Math.floor(between({ key: `${state.key}/wait`, seconds: state.seconds }, 0, 2.5)),
        },
      ],
    ),
  ];
}

export function databaseFamilies(state: InstanceState): MetricFamily[] {
  const databases = [
    { datname: 'app', size: state.databaseBytes - 15_500_000 },
    { datname: 'postgres', size: 7_631_663 },
    { datname: 'template1', size: 7_631_663 },
  ];
  const xidAge = Math.round(1_000_000 + (state.seconds - state.clusterCreatedSeconds) * 40);
  return [
    gauge(
      'cnpg_pg_database_size_bytes',
      'Disk space used by the database',
      databases.map((db) => ({
        labels: { datname: db.datname },
        value: Math.max(7_000_000, db.size),
      })),
    ),
    gauge(
      'cnpg_pg_database_xid_age',
      'Number of transactions from the frozen XID to the current one',
      databases.map((db) => ({
        labels: { datname: db.datname },
        value: db.datname === 'app' ? xidAge : 1_200,
      })),
    ),
    gauge(
      'cnpg_pg_database_mxid_age',
      'Number of multiple transactions (Multixact) from the frozen XID to the current one',
      databases.map((db) => ({ labels: { datname: db.datname }, value: 0 })),
    ),
  ];
}

export function replicationFamilies(state: InstanceState): MetricFamily[] {
  const inRecovery = state.isPrimary ? 0 : 1;
  return [
    gauge('cnpg_pg_postmaster_start_time', 'Time at which postgres started (based on epoch)', [
      { value: state.startedAtSeconds },
    ]),
    gauge('cnpg_pg_replication_lag', 'Replication lag behind primary in seconds', [
      { value: state.lagSeconds },
    ]),
    gauge('cnpg_pg_replication_in_recovery', 'Whether the instance is in recovery', [
      { value: inRecovery },
    ]),
    gauge('cnpg_pg_replication_is_wal_receiver_up', 'Whether the instance wal_receiver is up', [
      { value: inRecovery },
    ]),
    gauge(
      'cnpg_pg_replication_streaming_replicas',
      'Number of streaming replicas connected to the instance',
      [{ value: state.isPrimary ? state.readyStandbys.length : 0 }],
    ),
    ...slotFamilies(state),
    ...statReplicationFamilies(state),
  ];
}

/** CNPG's HA slots on the primary: `_cnpg_<standby pod, dashes as underscores>`. */
function slotFamilies(state: InstanceState): MetricFamily[] {
  const slots = state.isPrimary ? state.readyStandbys : [];
  const labelsOf = (name: string) => ({
    slot_name: `_cnpg_${name.replace(/-/g, '_')}`,
    slot_type: 'physical',
    database: '',
  });
  return [
    gauge(
      'cnpg_pg_replication_slots_active',
      'Flag indicating whether the slot is active',
      slots.map((pod) => ({ labels: labelsOf(pod.metadata.name), value: 1 })),
    ),
    gauge(
      'cnpg_pg_replication_slots_pg_wal_lsn_diff',
      'Replication lag in bytes',
      slots.map((pod) => ({
        labels: labelsOf(pod.metadata.name),
        value: standbyGap(state, pod.metadata.name),
      })),
    ),
  ];
}

function standbyGap(state: InstanceState, standby: string): number {
  const stressed = state.stress.has('lag');
  return Math.round(
    between(
      { key: `${state.key}/${standby}/gap`, seconds: state.seconds, periodSeconds: 60 },
      0,
      stressed ? 400_000_000 : 65_536,
    ),
  );
}

function statReplicationFamilies(state: InstanceState): MetricFamily[] {
  const standbys = state.isPrimary ? state.readyStandbys : [];
  const rows = standbys.map((pod) => {
    const name = pod.metadata.name;
    const replay = standbyGap(state, name);
    const labels = {
      usename: 'streaming_replica',
      application_name: name,
      client_addr: String(pod.status?.podIP ?? ''),
      client_port: String(40_000 + Math.floor(unit(`${state.key}/${name}/port`) * 20_000)),
    };
    return {
      labels,
      replay,
      lag: state.stress.has('lag') ? replay / 10_000_000 : replay / 50_000_000,
    };
  });
  const family = (
    name: string,
    help: string,
    value: (row: (typeof rows)[number]) => number,
    type: 'gauge' | 'counter' = 'gauge',
  ) => {
    const samples: Sample[] = rows.map((row) => ({ labels: row.labels, value: value(row) }));
    return type === 'gauge' ? gauge(name, help, samples) : counter(name, help, samples);
  };
  return [
    family(
      'cnpg_pg_stat_replication_backend_start',
      'Time when this process was started',
      () => state.startedAtSeconds + 5,
      'counter',
    ),
    family(
      'cnpg_pg_stat_replication_backend_xmin_age',
      "The age of this standby's xmin horizon",
      () => 0,
      'counter',
    ),
    family(
      'cnpg_pg_stat_replication_sent_diff_bytes',
      'Difference in bytes from the last write-ahead log location sent on this connection',
      (row) => Math.round(row.replay * 0.1),
    ),
    family(
      'cnpg_pg_stat_replication_write_diff_bytes',
      'Difference in bytes from the last write-ahead log location written to disk by this standby server',
      (row) => Math.round(row.replay * 0.4),
    ),
    family(
      'cnpg_pg_stat_replication_flush_diff_bytes',
      'Difference in bytes from the last write-ahead log location flushed to disk by this standby server',
      (row) => Math.round(row.replay * 0.7),
    ),
    family(
      'cnpg_pg_stat_replication_replay_diff_bytes',
      'Difference in bytes from the last write-ahead log location replayed into the database on this standby server',
      (row) => row.replay,
    ),
    family(
      'cnpg_pg_stat_replication_write_lag_seconds',
      'Time elapsed between flushing recent WAL locally and receiving notification that this standby server has written it',
      (row) => round3(row.lag * 0.4),
    ),
    family(
      'cnpg_pg_stat_replication_flush_lag_seconds',
      'Time elapsed between flushing recent WAL locally and receiving notification that this standby server has written and flushed it',
      (row) => round3(row.lag * 0.7),
    ),
    family(
      'cnpg_pg_stat_replication_replay_lag_seconds',
      'Time elapsed between flushing recent WAL locally and receiving notification that this standby server has written, flushed and applied it',
      (row) => round3(row.lag),
    ),
  ];
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** pg_stat_archiver runs on the primary only (its predicate query). */
export function archiverFamilies(state: InstanceState): MetricFamily[] {
  if (!state.isPrimary) return [];
  const age = Math.max(0, state.seconds - state.clusterCreatedSeconds);
  const isFailing = state.archiveError !== undefined && state.archiveError !== '';
  const failingFor = Math.min(age, 600 + 30 * unit(`${state.key}/fail`));
  const archived = Math.floor((isFailing ? age - failingFor : age) / 30);
  const lastArchived = state.clusterCreatedSeconds + archived * 30;
  const failed = isFailing ? Math.floor(failingFor / 20) + 1 : 0;
  const lastFailed = isFailing ? state.seconds - (state.seconds % 20) : -1;
  const c = (name: string, help: string, value: number) =>
    counter(`cnpg_pg_stat_archiver_${name}`, help, [{ value }]);
  const g = (name: string, help: string, value: number) =>
    gauge(`cnpg_pg_stat_archiver_${name}`, help, [{ value }]);
  return [
    c('archived_count', 'Number of WAL files that have been successfully archived', archived),
    c('failed_count', 'Number of failed attempts for archiving WAL files', failed),
    g(
      'seconds_since_last_archival',
      'Seconds since the last successful archival operation',
      archived > 0 ? round3(state.seconds - lastArchived) : -1,
    ),
    g(
      'seconds_since_last_failure',
      'Seconds since the last failed archival operation',
      isFailing ? round3(state.seconds - lastFailed) : -1,
    ),
    g(
      'last_archived_time',
      'Epoch of the last time WAL archiving succeeded',
      archived > 0 ? lastArchived : -1,
    ),
    g('last_failed_time', 'Epoch of the last time WAL archiving failed', lastFailed),
    g(
      'last_archived_wal_start_lsn',
      'Archived WAL start LSN',
      archived > 0 ? (archived + 1) * 0x1000000 : -1,
    ),
    g(
      'last_failed_wal_start_lsn',
      'Last failed WAL LSN',
      isFailing ? (archived + 2) * 0x1000000 : -1,
    ),
    g(
      'stats_reset_time',
      'Time at which these statistics were last reset',
      state.clusterCreatedSeconds,
    ),
  ];
}

/** A few of pg_settings' numeric rows, including max_connections. */
export function settingsFamilies(state: InstanceState): MetricFamily[] {
  const settings: [string, number][] = [
    ['autovacuum', 1],
    ['checkpoint_timeout', 300],
    ['effective_cache_size', 524_288],
    ['hot_standby', 1],
    ['maintenance_work_mem', 65_536],
    ['max_connections', state.maxConnections],
    ['max_replication_slots', 32],
    ['max_wal_senders', 10],
    ['max_worker_processes', 32],
    ['shared_buffers', 16_384],
    ['wal_keep_size', 512],
    ['wal_segment_size', 16_777_216],
    ['work_mem', 4_096],
  ];
  return [
    gauge(
      'cnpg_pg_settings_setting',
      'Setting value',
      settings.map(([name, value]) => ({ labels: { name }, value })),
    ),
  ];
}
