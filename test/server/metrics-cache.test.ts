import { beforeEach, describe, expect, it } from 'vitest';
import { MetricsCache } from '../../src/server/metrics/cache';
import { DEFAULT_THRESHOLDS } from '../../src/server/metrics/health';
import {
  HistoryRing,
  historyBytesPerInstance,
  historySlots,
} from '../../src/server/metrics/history';
import { parseExposition } from '../../src/server/metrics/parser';
import { WANTED_METRICS, readInstance } from '../../src/server/metrics/readings';
import type { TargetSpec } from '../../src/server/metrics/targets';
import type { PodProjection, PvcProjection } from '../../src/server/store/types';
import { FakeStore, aCluster } from './api-fixtures';
import { cnpgExposition, type ExporterText } from './scrape-exporters';

let clock = new Date('2026-03-24T13:00:00Z');
let store: FakeStore;
let cache: MetricsCache;

function aPod(name: string, overrides: Partial<PodProjection> = {}): PodProjection {
  return {
    namespace: 'team-a',
    name,
    uid: `uid-${name}`,
    clusterName: 'alpha',
    role: name === 'alpha-1' ? 'primary' : 'replica',
    phase: 'Running',
    isReady: true,
    isTerminating: false,
    podIP: '10.0.0.1',
    metricsPort: 9187,
    ...overrides,
  };
}

function aPvc(name: string, role: string, capacityBytes: number): PvcProjection {
  const instanceName = name.replace(/-wal$/, '');
  return {
    namespace: 'team-a',
    name,
    uid: `pvc-${name}`,
    clusterName: 'alpha',
    instanceName,
    pvcRole: role,
    capacityBytes,
  };
}

function spec(podName: string): TargetSpec {
  return {
    uid: `uid-${podName}`,
    namespace: 'team-a',
    clusterName: 'alpha',
    podName,
    port: 9187,
    isTls: false,
  };
}

function scraped(podName: string, text: ExporterText | string = {}): void {
  const body = typeof text === 'string' ? text : cnpgExposition(text);
  const reading = readInstance(parseExposition(body, { wanted: WANTED_METRICS }));
  cache.recordScrape(spec(podName), { reading });
}

beforeEach(() => {
  clock = new Date('2026-03-24T13:00:00Z');
  store = new FakeStore();
  store.put('clusters', aCluster());
  for (const name of ['alpha-1', 'alpha-2', 'alpha-3']) {
    store.put('pods', aPod(name));
    store.put('pvcs', aPvc(name, 'PG_DATA', 20_000_000_000));
    store.put('pvcs', aPvc(`${name}-wal`, 'PG_WAL', 1_000_000));
  }
  cache = new MetricsCache({
    store,
    thresholds: DEFAULT_THRESHOLDS,
    historySlots: 120,
    now: () => clock,
  });
});

describe('the metrics snapshot of a cluster', () => {
  it('says "metrics not available yet" before anything was scraped', () => {
    for (const name of ['alpha-1', 'alpha-2', 'alpha-3']) cache.setWaiting(spec(name));
    expect(cache.clusterMetrics('team-a', 'alpha')).toEqual({
      overallHealth: 'unknown',
      scrapeError: 'metrics not available yet',
      instances: [],
      thresholds: DEFAULT_THRESHOLDS,
    });
    expect(cache.clusterHealth('team-a', 'alpha')).toEqual({
      overallHealth: 'unknown',
      metricsScrapeError: 'metrics not available yet',
    });
  });

  it('shows each instance with its numbers, its data volume and CNPG status', () => {
    scraped('alpha-1');
    scraped('alpha-2', { isReplica: true, lagSeconds: 2 });
    scraped('alpha-3', { isReplica: true });
    const snapshot = cache.clusterMetrics('team-a', 'alpha');

    expect(snapshot.overallHealth).toBe('healthy');
    expect(snapshot.scrapedAt).toBe('2026-03-24T13:00:00.000Z');
    expect(snapshot.instances[0]).toEqual({
      podName: 'alpha-1',
      podStatus: 'healthy',
      role: 'primary',
      health: 'healthy',
      connections: { active: 7, idle: 1, idleInTransaction: 2, total: 10, maxConnections: 100 },
      replication: {
        replicationLagSeconds: 0,
        isReplica: false,
        isWalReceiverUp: false,
        streamingReplicas: 2,
        replayLagBytes: 4096,
      },
      disk: { pvcCapacityBytes: 20_000_000_000, databaseSizeBytes: 15_000_000 },
      scrapedAt: '2026-03-24T13:00:00.000Z',
    });
    expect(snapshot.instances[1]?.replication).toMatchObject({
      isReplica: true,
      replicationLagSeconds: 2,
    });
  });

  it('marks a cluster warning when one instance cannot be scraped, naming it in scrapeError', () => {
    scraped('alpha-1');
    scraped('alpha-2');
    cache.recordScrape(spec('alpha-3'), {
      error: 'scrape http://<redacted>:9187/metrics: connection refused',
    });
    const snapshot = cache.clusterMetrics('team-a', 'alpha');

    expect(snapshot.overallHealth).toBe('warning');
    expect(snapshot.scrapeError).toBe(
      'alpha-3 scrape http://<redacted>:9187/metrics: connection refused',
    );
    expect(snapshot.instances[2]).toMatchObject({
      health: 'unknown',
      connections: { active: 0, idle: 0, idleInTransaction: 0, total: 0, maxConnections: 0 },
      scrapeError: 'scrape http://<redacted>:9187/metrics: connection refused',
    });
  });

  it('lists an instance whose pod is gone as "pod not found"', () => {
    store.remove('pods', 'team-a', 'alpha-3');
    scraped('alpha-1');
    const instance = cache
      .clusterMetrics('team-a', 'alpha')
      .instances.find((i) => i.podName === 'alpha-3');
    expect(instance).toMatchObject({
      podStatus: 'unknown',
      health: 'unknown',
      scrapeError: 'pod not found',
    });
  });

  it('shows 0 for numbers the exporter did not send or sent as NaN, and names them', () => {
    scraped(
      'alpha-1',
      'cnpg_collector_up 1\ncnpg_pg_replication_lag NaN\ncnpg_pg_database_size_bytes{datname="app"} +Inf\n',
    );
    const instance = cache.clusterMetrics('team-a', 'alpha').instances[0];
    expect(instance?.replication.replicationLagSeconds).toBe(0);
    expect(instance?.unreportedMetrics).toEqual([
      'connections.total',
      'connections.maxConnections',
      'replication.replicationLagSeconds',
      'replication.isReplica',
      'replication.isWalReceiverUp',
      'replication.streamingReplicas',
    ]);
    expect(JSON.stringify(cache.clusterMetrics('team-a', 'alpha'))).not.toMatch(
      /NaN|Infinity|null/,
    );
  });

  it('reflects a Cluster state change without waiting for the next scrape', () => {
    scraped('alpha-1');
    scraped('alpha-2');
    scraped('alpha-3');
    store.put('clusters', aCluster({ phase: 'Failing over' }));
    const snapshot = cache.clusterMetrics('team-a', 'alpha');
    expect(snapshot.overallHealth).toBe('warning');
    expect(snapshot.healthReasons).toEqual(['cluster phase is "Failing over"']);
  });

  it('rebuilds only the snapshot of the cluster whose pods, scrapes or state changed', () => {
    store.put('clusters', aCluster({ name: 'beta' }));
    store.put('pods', aPod('beta-1', { clusterName: 'beta' }));
    scraped('alpha-1');
    const alpha = cache.clusterMetrics('team-a', 'alpha');
    const beta = cache.clusterMetrics('team-a', 'beta');
    const versions = () => [cache.version('team-a', 'alpha'), cache.version('team-a', 'beta')];
    const before = versions();

    store.put('pods', aPod('alpha-2', { isTerminating: true }));
    expect(cache.clusterMetrics('team-a', 'beta')).toBe(beta);
    const rebuilt = cache.clusterMetrics('team-a', 'alpha');
    expect(rebuilt).not.toBe(alpha);
    expect(rebuilt.instances.find((i) => i.podName === 'alpha-2')?.podStatus).toBe('terminating');
    expect(versions()[1]).toBe(before[1]);

    // A scrape that changes nothing but its time still moves the version,
    // so a cached response never shows an old scrape time.
    clock = new Date('2026-03-24T13:00:30Z');
    const alphaVersion = cache.version('team-a', 'alpha');
    scraped('alpha-1');
    expect(cache.version('team-a', 'alpha')).not.toBe(alphaVersion);
    expect(cache.clusterMetrics('team-a', 'alpha').scrapedAt).toBe('2026-03-24T13:00:30.000Z');
    expect(cache.clusterMetrics('team-a', 'beta')).toBe(beta);

    // Deleting a pod reaches its cluster too, though the pod is gone.
    const beforeDelete = cache.version('team-a', 'beta');
    store.remove('pods', 'team-a', 'beta-1');
    expect(cache.version('team-a', 'beta')).not.toBe(beforeDelete);
  });

  it('judges disk use against the PG_DATA volume, not the WAL volume', () => {
    scraped('alpha-1', { databaseBytes: 18_500_000_000 });
    const instance = cache.clusterMetrics('team-a', 'alpha').instances[0];
    expect(instance?.health).toBe('critical');
    expect(instance?.healthReasons).toEqual(['databases fill 93 % of the data volume, above 90 %']);
  });
});

describe('metrics history', () => {
  it('returns the last hour of each instance, oldest first', () => {
    for (let minute = 0; minute < 90; minute += 1) {
      clock = new Date(Date.parse('2026-03-24T13:00:00Z') + minute * 60_000);
      scraped('alpha-1', { connections: minute });
    }
    const history = cache.clusterHistory('team-a', 'alpha');
    const points = history.instances[0]?.points ?? [];

    expect(history.instances.map((i) => i.podName)).toEqual(['alpha-1']);
    expect(points).toHaveLength(61);
    expect(points[0]).toEqual({
      t: Date.parse('2026-03-24T14:29:00Z') - 60 * 60_000,
      connections: 29,
      replicationLagSeconds: 0,
      replayLagBytes: 4096,
      databaseSizeBytes: 15_000_000,
    });
    expect(points.at(-1)?.connections).toBe(89);
  });

  it('keeps at most its capacity and leaves missing values out', () => {
    const ring = new HistoryRing(3);
    for (let t = 1; t <= 5; t += 1) ring.push({ t, connections: t * 10 });
    expect(ring.points(0)).toEqual([
      { t: 3, connections: 30 },
      { t: 4, connections: 40 },
      { t: 5, connections: 50 },
    ]);
  });

  it('sizes the ring from the interval: 121 slots and under 5 KiB per instance at 30 s', () => {
    expect(historySlots(30_000)).toBe(121);
    expect(historyBytesPerInstance(30_000)).toBe(4840);
    expect(historySlots(1_000)).toBe(720);
  });
});

describe('change notifications', () => {
  it('bump the revision and notify only when readings or errors change', () => {
    const changes: string[] = [];
    cache.onChange(({ namespace, name }) => changes.push(`${namespace}/${name}`));

    scraped('alpha-1');
    cache.flush('team-a/alpha');
    clock = new Date('2026-03-24T13:00:30Z');
    scraped('alpha-1');
    cache.flush('team-a/alpha');
    expect(changes).toEqual(['team-a/alpha']);
    expect(cache.revision).toBe(1);

    scraped('alpha-1', { connections: 20 });
    cache.flush('team-a/alpha');
    expect(changes).toHaveLength(2);
    expect(cache.revision).toBe(2);
  });
});
