import { afterEach, describe, expect, it } from 'vitest';
import { aBackup, aCluster, aScheduledBackup } from './api-fixtures';
import { buildTestApp, type TestApp } from './api-app-support';

let current: TestApp | undefined;
async function setup(...args: Parameters<typeof buildTestApp>): Promise<TestApp> {
  current = await buildTestApp(...args);
  return current;
}
afterEach(async () => {
  await current?.app.close();
  current = undefined;
});

describe('GET /healthz and /api', () => {
  it('answers ok and the version document', async () => {
    const { app } = await setup();
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const version = await app.inject('/api');
    expect(version.statusCode).toBe(200);
    expect(version.json()).toMatchObject({ version: '0.1.0', permissions: { readOnly: false } });
  });

  it('reports read-only mode in the permissions', async () => {
    const { app } = await setup({ deps: { isReadOnly: true } });
    expect((await app.inject('/api')).json().permissions).toEqual({
      readOnly: true,
      canCreateBackups: false,
      canRestore: false,
    });
  });
});

describe('GET /api/clusters', () => {
  it('returns explicit empty arrays when nothing is watched', async () => {
    const { app } = await setup();
    const response = await app.inject('/api/clusters');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.body).toBe('{"namespaces":[],"items":[]}');
  });

  it('lists clusters sorted by namespace and name, with namespace counts', async () => {
    const { app, store, metrics } = await setup();
    store
      .put('clusters', aCluster({ namespace: 'team-b', name: 'zeta' }))
      .put('clusters', aCluster({ namespace: 'team-a', name: 'beta' }))
      .put('clusters', aCluster({ namespace: 'team-a', name: 'alpha' }));
    metrics.setHealth('team-a', 'alpha', 'healthy');

    const body = (await app.inject('/api/clusters')).json();
    expect(body.namespaces).toEqual([
      { name: 'team-a', clusterCount: 2 },
      { name: 'team-b', clusterCount: 1 },
    ]);
    expect(body.items.map((i: { name: string }) => i.name)).toEqual(['alpha', 'beta', 'zeta']);
    expect(body.items[0]).toMatchObject({
      phase: 'Cluster in healthy state',
      overallHealth: 'healthy',
      metricsScrapedAt: '2026-03-24T13:00:00Z',
    });
    expect(body.items[1]).toMatchObject({
      overallHealth: 'unknown',
      metricsScrapeError: 'metrics not available yet',
    });
  });

  it('shows a new metrics verdict for one cluster while other rows stay as they were', async () => {
    const { app, store, metrics } = await setup();
    store.put('clusters', aCluster()).put('clusters', aCluster({ name: 'beta' }));
    metrics.setHealth('team-a', 'alpha', 'healthy');
    const before = (await app.inject('/api/clusters')).json();

    metrics.setHealth('team-a', 'alpha', 'critical', '2026-03-24T13:01:00Z');
    const after = (await app.inject('/api/clusters')).json();
    expect(after.items[0]).toMatchObject({
      name: 'alpha',
      overallHealth: 'critical',
      metricsScrapedAt: '2026-03-24T13:01:00Z',
    });
    expect(after.items[1]).toEqual(before.items[1]);
  });

  it('filters items by namespace but keeps every namespace count', async () => {
    const { app, store } = await setup();
    store
      .put('clusters', aCluster({ namespace: 'team-b', name: 'zeta' }))
      .put('clusters', aCluster());
    const body = (await app.inject('/api/clusters?namespace=team-b')).json();
    expect(body.items.map((i: { name: string }) => i.name)).toEqual(['zeta']);
    expect(body.namespaces).toHaveLength(2);
  });

  it('rejects a namespace filter that is not a DNS label', async () => {
    const { app } = await setup();
    const response = await app.inject('/api/clusters?namespace=Team_A');
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatch(/^namespace "Team_A" must be a lowercase RFC 1123 label/);
    expect((await app.inject('/api/clusters?namespace=a&namespace=b')).json()).toEqual({
      error: 'namespace may be given only once',
    });
  });
});

describe('GET /api/clusters/{namespace}/{name}', () => {
  it('returns the cluster, its backups newest first and its schedules', async () => {
    const { app, store } = await setup();
    store
      .put('clusters', aCluster())
      .put('backups', aBackup({ name: 'alpha-1', createdAt: '2026-03-23T00:00:00Z' }))
      .put('backups', aBackup({ name: 'alpha-2', createdAt: '2026-03-24T00:00:00Z' }))
      .put('backups', aBackup({ name: 'other', clusterName: 'beta' }))
      .put('scheduledbackups', aScheduledBackup());

    const response = await app.inject('/api/clusters/team-a/alpha');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.cluster).toMatchObject({
      namespace: 'team-a',
      name: 'alpha',
      currentPrimary: 'alpha-1',
    });
    expect(body.backups.map((b: { name: string }) => b.name)).toEqual(['alpha-2', 'alpha-1']);
    expect(body.scheduledBackups[0]).toMatchObject({ schedule: '0 0 */6 * * *', immediate: true });
    expect(body.conditions[0]).toMatchObject({ type: 'Ready', status: 'True' });

    const backupsPage = await app.inject('/api/clusters/team-a/alpha/backups');
    expect(backupsPage.json()).toEqual(body);
  });

  it('answers 404 with the contract text for a missing cluster', async () => {
    const { app } = await setup();
    for (const url of ['/api/clusters/team-a/missing', '/api/clusters/team-a/missing/backups']) {
      const response = await app.inject(url);
      expect(response.statusCode).toBe(404);
      expect(response.body).toBe(
        '{"error":"cluster \\"missing\\" in namespace \\"team-a\\" not found"}',
      );
    }
  });

  it.each([
    [
      'an encoded slash',
      '/api/clusters/team-a/al%2Fpha',
      /^name "al\/pha" must be a lowercase DNS-1123 subdomain/,
    ],
    ['an upper-case namespace', '/api/clusters/Team-A/alpha', /^namespace "Team-A" must be/],
    [
      'an over-long namespace',
      `/api/clusters/${'a'.repeat(64)}/alpha`,
      /must be at most 63 characters/,
    ],
    [
      'an over-long name',
      `/api/clusters/team-a/${'a'.repeat(254)}`,
      /must be at most 253 characters/,
    ],
    ['a non-ASCII name', '/api/clusters/team-a/caf%C3%A9', /^name "caf\?" must be/],
  ])('rejects %s with 400 before any lookup', async (_case, url, message) => {
    const { app } = await setup();
    const response = await app.inject(url);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatch(message);
  });
});

describe('GET /readyz', () => {
  it('answers 503 syncing until every kind has been listed once', async () => {
    const { app, store } = await setup();
    store.statuses = [
      { kind: 'clusters', state: 'synced', lastSyncAt: new Date('2026-03-24T12:00:00Z') },
      { kind: 'backups', state: 'syncing' },
    ];
    const response = await app.inject('/readyz');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      status: 'syncing',
      kinds: [
        { kind: 'clusters', state: 'synced', lastSyncAt: '2026-03-24T12:00:00.000Z' },
        { kind: 'backups', state: 'syncing' },
      ],
    });
  });

  it('stays ready during a short outage and reports degraded with the data age after a minute', async () => {
    const { app, store } = await setup();
    const lastSyncAt = new Date('2026-03-24T11:58:00Z');
    store.statuses = [
      {
        kind: 'clusters',
        state: 'degraded',
        lastSyncAt,
        downSince: new Date('2026-03-24T12:00:00Z'),
        error: 'watch failed',
      },
    ];
    const short = await app.inject('/readyz');
    expect(short.statusCode).toBe(200);
    expect(short.json().status).toBe('ready');

    store.statuses = [
      {
        kind: 'clusters',
        state: 'degraded',
        lastSyncAt,
        downSince: new Date('2026-03-24T11:59:00Z'),
        error: 'watch failed',
      },
    ];
    const long = await app.inject('/readyz');
    expect(long.statusCode).toBe(200);
    expect(long.json()).toEqual({
      status: 'degraded',
      kinds: [
        {
          kind: 'clusters',
          state: 'degraded',
          lastSyncAt: '2026-03-24T11:58:00.000Z',
          staleSeconds: 150,
          error: 'watch failed',
        },
      ],
    });
  });
});

describe('while shutting down', () => {
  it('answers readiness with stopping and every other request with 503', async () => {
    const { app } = await setup({ isStopping: () => true });
    const readyz = await app.inject('/readyz');
    expect(readyz.statusCode).toBe(503);
    expect(readyz.json().status).toBe('stopping');
    expect((await app.inject('/healthz')).statusCode).toBe(200);
    const api = await app.inject('/api/clusters');
    expect(api.statusCode).toBe(503);
    expect(api.json()).toEqual({ error: 'server is shutting down' });
    expect(api.headers.connection).toBe('close');
  });
});
