// The instance manager's built-in `cnpg_collector_*` block
// (pkg/management/postgres/webserver/metricserver/pg_collector.go), with the
// help texts of the exporter sample in docs/src/monitoring.md.
import { counter, gauge, type MetricFamily } from './text-format';
import type { InstanceState } from './instance-state';
import { between } from './signal';

const walDirectory = '/var/lib/postgresql/data/pgdata/pg_wal';

export function collectorFamilies(options: {
  state: InstanceState;
  instances: number;
  scrapes: number;
}): MetricFamily[] {
  const { state } = options;
  const up = state.isUp ? 1 : 0;
  const walCount = Math.round(
    between({ key: `${state.key}/walcount`, seconds: state.seconds }, 6, 14),
  );
  return [
    gauge('cnpg_collector_collection_duration_seconds', 'Collection time duration in seconds', [
      {
        labels: { collector: 'Collect.up' },
        value:
          Math.round(
            between({ key: `${state.key}/dur`, seconds: state.seconds }, 0.002, 0.009) * 1e7,
          ) / 1e7,
      },
    ]),
    counter(
      'cnpg_collector_collections_total',
      'Total number of times PostgreSQL was accessed for metrics.',
      [{ value: options.scrapes }],
    ),
    gauge('cnpg_collector_fencing_on', '1 if the instance is fenced, 0 otherwise', [{ value: 0 }]),
    gauge(
      'cnpg_collector_nodes_used',
      "NodesUsed represents the count of distinct nodes accommodating the instances. A value of '-1' suggests that the metric is not available. A value of '1' suggests that all instances are hosted on a single node, implying the absence of High Availability (HA). Ideally this value should match the number of instances in the cluster.",
      [{ value: options.instances }],
    ),
    gauge(
      'cnpg_collector_last_collection_error',
      '1 if the last collection ended with error, 0 otherwise.',
      [{ value: 1 - up }],
    ),
    gauge(
      'cnpg_collector_manual_switchover_required',
      '1 if a manual switchover is required, 0 otherwise',
      [{ value: 0 }],
    ),
    gauge(
      'cnpg_collector_pg_wal',
      `Total size in bytes of WAL segments in the '${walDirectory}' directory  computed as (wal_segment_size * count)`,
      [
        { labels: { value: 'count' }, value: walCount },
        { labels: { value: 'slots_max' }, value: Number.NaN },
        { labels: { value: 'keep' }, value: 32 },
        { labels: { value: 'max' }, value: 64 },
        { labels: { value: 'min' }, value: 5 },
        { labels: { value: 'size' }, value: walCount * 16_777_216 },
        { labels: { value: 'volume_max' }, value: 128 },
        { labels: { value: 'volume_size' }, value: state.pvcBytes },
      ],
    ),
    gauge(
      'cnpg_collector_pg_wal_archive_status',
      `Number of WAL segments in the '${walDirectory}/archive_status' directory (ready, done)`,
      [
        { labels: { value: 'done' }, value: Math.max(0, walCount - 3) },
        {
          labels: { value: 'ready' },
          value: state.archiveError === undefined || state.archiveError === '' ? 0 : walCount,
        },
      ],
    ),
    gauge('cnpg_collector_replica_mode', '1 if the cluster is in replica mode, 0 otherwise', [
      { value: 0 },
    ]),
    gauge(
      'cnpg_collector_sync_replicas',
      'Number of requested synchronous replicas (synchronous_standby_names)',
      [
        { labels: { value: 'expected' }, value: 0 },
        { labels: { value: 'max' }, value: 0 },
        { labels: { value: 'min' }, value: 0 },
        { labels: { value: 'observed' }, value: 0 },
      ],
    ),
    gauge('cnpg_collector_up', '1 if PostgreSQL is up, 0 otherwise.', [
      { labels: { cluster: state.clusterName }, value: up },
    ]),
    gauge('cnpg_collector_postgres_version', 'Postgres version', [
      {
        labels: { cluster: state.clusterName, full: state.postgresVersion },
        value: Number(state.postgresVersion),
      },
    ]),
    gauge('cnpg_last_error', '1 if the last collection ended with error, 0 otherwise.', [
      { value: 1 - up },
    ]),
  ];
}
