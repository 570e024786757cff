import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClusterMetricsResponse, MetricsHistoryResponse } from '../../src/contract/api';
import { registerMetricsRoutes } from '../../src/server/api/routes/metrics';
import { MetricsCache } from '../../src/server/metrics/cache';
import { DEFAULT_THRESHOLDS } from '../../src/server/metrics/health';
import { parseExposition } from '../../src/server/metrics/parser';
import { WANTED_METRICS, readInstance } from '../../src/server/metrics/readings';
import type { TargetSpec } from '../../src/server/metrics/targets';
import { buildTestApp, type TestApp } from './api-app-support';
import { FakeStore, aCluster } from './api-fixtures';
import { cnpgExposition } from './scrape-exporters';

let harness: TestApp;
let cache: MetricsCache;
const now = new Date('2026-03-24T13:00:00Z');

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

beforeEach(async () => {
  const store = new FakeStore();
  cache = new MetricsCache({
    store,
    thresholds: DEFAULT_THRESHOLDS,
    historySlots: 120,
    now: () => now,
  });
  harness = await buildTestApp({
    deps: { store, metrics: cache },
    routeModules: [registerMetricsRoutes],
  });
  store.put(
    'clusters',
    aCluster({ instanceNames: ['alpha-1'], instancesStatus: { healthy: ['alpha-1'] } }),
  );
  store.put('pods', {
    namespace: 'team-a',
    name: 'alpha-1',
    uid: 'uid-alpha-1',
    clusterName: 'alpha',
    role: 'primary',
    phase: 'Running',
    isReady: true,
    isTerminating: false,
    podIP: '10.1.2.3',
    metricsPort: 9187,
  });
});

afterEach(async () => {
  await harness.app.close();
});

function scrapeAlpha1(): void {
  const reading = readInstance(parseExposition(cnpgExposition(), { wanted: WANTED_METRICS }));
  cache.recordScrape(spec('alpha-1'), { reading });
  cache.flush('team-a/alpha');
}

describe('GET /api/clusters/{ns}/{name}/metrics', () => {
  it('answers 200 with "metrics not available yet" before the first scrape', async () => {
    const response = await harness.app.inject('/api/clusters/team-a/alpha/metrics');
    expect(response.statusCode).toBe(200);
    const body = response.json<ClusterMetricsResponse>();
    expect(body).toMatchObject({
      cluster: { namespace: 'team-a', name: 'alpha', phase: 'Cluster in healthy state' },
      overallHealth: 'unknown',
      scrapeError: 'metrics not available yet',
      instances: [],
      thresholds: DEFAULT_THRESHOLDS,
    });
  });

  it('stays "unknown" before the first scrape even while the cluster is setting up', async () => {
    (harness.deps.store as FakeStore).put(
      'clusters',
      aCluster({
        name: 'beta',
        phase: 'Setting up primary',
        readyInstances: 0,
        instanceNames: [],
        instancesStatus: {},
      }),
    );
    const response = await harness.app.inject('/api/clusters/team-a/beta/metrics');
    expect(response.json<ClusterMetricsResponse>()).toMatchObject({
      overallHealth: 'unknown',
      scrapeError: 'metrics not available yet',
      instances: [],
    });
  });

  it('serves the scraped instance without the pod IP', async () => {
    scrapeAlpha1();
    const response = await harness.app.inject('/api/clusters/team-a/alpha/metrics');
    const body = response.json<ClusterMetricsResponse>();

    expect(body.overallHealth).toBe('healthy');
    expect(body.instances.map((i) => [i.podName, i.health, i.connections.total])).toEqual([
      ['alpha-1', 'healthy', 10],
    ]);
    expect(response.body).not.toContain('10.1.2.3');
    expect(response.headers.etag).toBeDefined();
  });

  it('answers 304 to a client that already has the current body', async () => {
    scrapeAlpha1();
    const first = await harness.app.inject('/api/clusters/team-a/alpha/metrics');
    const again = await harness.app.inject({
      url: '/api/clusters/team-a/alpha/metrics',
      headers: { 'if-none-match': String(first.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
  });

  it('answers 404 for a cluster the store does not hold', async () => {
    const response = await harness.app.inject('/api/clusters/team-a/missing/metrics');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: 'cluster "missing" in namespace "team-a" not found' });
  });

  it('answers 400 for a malformed namespace', async () => {
    const response = await harness.app.inject('/api/clusters/Team_A/alpha/metrics');
    expect(response.statusCode).toBe(400);
  });
});

describe('GET /api/clusters/{ns}/{name}/metrics/history', () => {
  it('returns the points scraped so far', async () => {
    scrapeAlpha1();
    const response = await harness.app.inject('/api/clusters/team-a/alpha/metrics/history');
    expect(response.json<MetricsHistoryResponse>()).toEqual({
      namespace: 'team-a',
      name: 'alpha',
      instances: [
        {
          podName: 'alpha-1',
          points: [
            {
              t: now.getTime(),
              connections: 10,
              replicationLagSeconds: 0,
              replayLagBytes: 4096,
              databaseSizeBytes: 15_000_000,
            },
          ],
        },
      ],
    });
  });

  it('answers 404 for a cluster the store does not hold', async () => {
    const response = await harness.app.inject('/api/clusters/team-b/alpha/metrics/history');
    expect(response.statusCode).toBe(404);
  });
});
