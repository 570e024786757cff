// Deckhand's own /metrics: request latency by route pattern, reflector state
// and counters, scrape results, and the endpoint's own headers.
import { KubeConfig } from '@kubernetes/client-node';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { Authenticator } from '../../src/server/auth/authenticator';
import { parseCidrs } from '../../src/server/auth/cidr';
import { registerAuth } from '../../src/server/auth/plugin';
import { Observability } from '../../src/server/observability/observability';
import { scrapeFailureReason } from '../../src/server/observability/scrape-metrics';
import type { ReflectorCounters } from '../../src/server/kube/reflector';
import { aCluster } from './api-fixtures';
import { buildTestApp } from './api-app-support';
import { parseExposition, scrape, valueOf } from './observability-support';

const requestCount = 'deckhand_http_request_duration_seconds_count';

async function appWithMetrics() {
  const observability = new Observability({ shouldCollectRuntime: false });
  const testApp = await buildTestApp({ routeModules: [observability.routes] });
  return { ...testApp, observability };
}

function someCounters(overrides: Partial<ReflectorCounters> = {}): ReflectorCounters {
  return {
    lists: 1,
    relists: 0,
    reconnects: 0,
    malformedLines: 0,
    malformedObjects: 0,
    eventsApplied: 0,
    errors: 0,
    ...overrides,
  };
}

describe('GET /metrics', () => {
  it('answers in the Prometheus text format with the security headers and no caching', async () => {
    const { app } = await appWithMetrics();

    const first = await app.inject({ method: 'GET', url: '/metrics' });
    const second = await app.inject({ method: 'GET', url: '/metrics' });

    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.headers['x-content-type-options']).toBe('nosniff');
    expect(first.headers['content-security-policy']).toContain("default-src 'self'");
    expect(first.headers.etag).toBeUndefined();
    expect(second.body).not.toBe(first.body);
  });

  it('asks for an identity when a sign-in mode is active', async () => {
    const observability = new Observability({ shouldCollectRuntime: false });
    const logger = pino({ level: 'silent' });
    const kubeConfig = new KubeConfig();
    const authenticator = new Authenticator({
      mode: 'proxy',
      kubeConfig,
      logger,
      trustedProxies: parseCidrs(['127.0.0.1']),
    });
    const withAuth = (app: Parameters<typeof registerAuth>[0]) =>
      registerAuth(app, {
        authenticator,
        kubeConfig,
        logger,
        isReadOnly: true,
        allowedOrigins: new Set(),
      });
    const { app } = await buildTestApp({ routeModules: [withAuth, observability.routes] });

    const anonymous = await app.inject({ method: 'GET', url: '/metrics' });
    const signedIn = await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { 'x-forwarded-user': 'prometheus' },
    });

    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.body).not.toContain('deckhand_');
    expect(signedIn.statusCode).toBe(200);
    const refused = { method: 'GET', route: '/metrics', status_code: '401' };
    expect(valueOf(parseExposition(signedIn.body), requestCount, refused)).toBe(1);
  });

  it('counts requests under their route pattern, never the raw URL', async () => {
    const { app, store } = await appWithMetrics();
    store.put('clusters', aCluster({ namespace: 'team-a', name: 'alpha' }));

    await app.inject({ method: 'GET', url: '/api/clusters' });
    await app.inject({ method: 'GET', url: '/api/clusters?namespace=team-a' });
    await app.inject({ method: 'GET', url: '/api/clusters/team-a/alpha' });
    await app.inject({ method: 'GET', url: '/api/clusters/team-a/missing' });
    await app.inject({ method: 'GET', url: '/api/no-such-thing/10.0.0.7' });
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    const samples = await scrape(app);

    const labels = { method: 'GET', status_code: '200' };
    expect(valueOf(samples, requestCount, { ...labels, route: '/api/clusters' })).toBe(2);
    const byName = '/api/clusters/:namespace/:name';
    expect(valueOf(samples, requestCount, { ...labels, route: byName })).toBe(1);
    expect(valueOf(samples, requestCount, { ...labels, route: byName, status_code: '404' })).toBe(
      1,
    );
    expect(
      valueOf(samples, requestCount, { method: 'GET', route: 'unmatched', status_code: '404' }),
    ).toBe(1);
    expect(response.body).not.toContain('10.0.0.7');
    expect(response.body).not.toContain('no-such-thing');
    expect(response.body).not.toContain('team-a');
  });

  it('counts the requests that hooks answer, such as a 414 for an overlong URL', async () => {
    const { app } = await appWithMetrics();

    await app.inject({ method: 'GET', url: `/api/clusters?q=${'x'.repeat(9000)}` });
    const samples = await scrape(app);

    expect(
      valueOf(samples, requestCount, { method: 'GET', route: '/api/clusters', status_code: '414' }),
    ).toBe(1);
  });

  it('reports each kind as syncing, synced or degraded from the store', async () => {
    const { app, store } = await appWithMetrics();
    store.statuses = [
      { kind: 'clusters', state: 'synced' },
      { kind: 'backups', state: 'degraded', error: 'forbidden' },
    ];

    const samples = await scrape(app);

    const state = 'deckhand_reflector_state';
    expect(valueOf(samples, state, { kind: 'clusters', state: 'synced' })).toBe(1);
    expect(valueOf(samples, state, { kind: 'clusters', state: 'degraded' })).toBe(0);
    expect(valueOf(samples, state, { kind: 'backups', state: 'degraded' })).toBe(1);
    expect(valueOf(samples, state, { kind: 'backups', state: 'syncing' })).toBe(0);
    expect(valueOf(samples, state, { kind: 'pods', state: 'synced' })).toBeUndefined();
  });

  it("reads the reflectors' relist, reconnect and malformed-line counters at scrape time", async () => {
    const { app, observability } = await appWithMetrics();
    const totals = {
      clusters: someCounters({ relists: 2, reconnects: 5, malformedLines: 1 }),
      pods: someCounters({ errors: 3 }),
    };
    observability.watchReflectors(() => totals);

    const before = await scrape(app);
    totals.clusters.reconnects = 6;
    const after = await scrape(app);

    const clusters = { kind: 'clusters' };
    expect(valueOf(before, 'deckhand_reflector_relists_total', clusters)).toBe(2);
    expect(valueOf(before, 'deckhand_reflector_reconnects_total', clusters)).toBe(5);
    expect(valueOf(before, 'deckhand_reflector_malformed_lines_total', clusters)).toBe(1);
    expect(valueOf(before, 'deckhand_reflector_errors_total', { kind: 'pods' })).toBe(3);
    expect(valueOf(after, 'deckhand_reflector_reconnects_total', clusters)).toBe(6);
  });

  it('times scrapes and counts failures by reason class only', async () => {
    const { app, observability } = await appWithMetrics();
    const url = 'scrape http://<redacted>:9187/metrics';

    observability.observeScrape({ durationMs: 40 });
    observability.observeScrape({ durationMs: 5000, error: `${url}: timed out after 5s` });
    observability.observeScrape({ durationMs: 2, error: `${url}: connection refused` });
    observability.observeScrape({ durationMs: 9, error: `${url}: HTTP 503` });
    const samples = await scrape(app);

    const failures = 'deckhand_scrape_failures_total';
    expect(valueOf(samples, failures, { reason: 'timeout' })).toBe(1);
    expect(valueOf(samples, failures, { reason: 'refused' })).toBe(1);
    expect(valueOf(samples, failures, { reason: 'http_status' })).toBe(1);
    expect(valueOf(samples, failures, { reason: 'too_large' })).toBe(0);
    const count = 'deckhand_scrape_duration_seconds_count';
    expect(valueOf(samples, count, { result: 'success' })).toBe(1);
    expect(valueOf(samples, count, { result: 'failure' })).toBe(3);
    expect(valueOf(samples, 'deckhand_scrape_duration_seconds_sum', { result: 'success' })).toBe(
      0.04,
    );
  });

  it('adds the Node.js runtime metrics, event-loop lag included, when asked to', async () => {
    const observability = new Observability();
    const { app } = await buildTestApp({ routeModules: [observability.routes] });

    const samples = await scrape(app);

    const names = new Set(samples.map((sample) => sample.name));
    expect(names).toContain('nodejs_eventloop_lag_seconds');
    expect(names).toContain('nodejs_heap_size_used_bytes');
    expect(names).toContain('process_cpu_seconds_total');
  });
});

describe('scrape failure classes', () => {
  it.each([
    ['scrape http://<redacted>:9187/metrics: timed out after 5s', 'timeout'],
    ['scrape http://<redacted>:9187/metrics: connection timed out', 'timeout'],
    ['scrape http://<redacted>:9187/metrics: connection refused', 'refused'],
    ['scrape http://<redacted>:9187/metrics: body larger than 4 MiB', 'too_large'],
    ['scrape http://<redacted>:9187/metrics: malformed exposition: no samples', 'malformed'],
    ['scrape http://<redacted>:9187/metrics: invalid gzip body', 'malformed'],
    ['scrape http://<redacted>:9187/metrics: HTTP 302 (redirects are not followed)', 'http_status'],
    ['scrape http://<redacted>:9187/metrics: connection reset', 'other'],
    ['scrape: request could not be built: no credentials', 'other'],
  ])('classifies "%s" as %s', (error, reason) => {
    expect(scrapeFailureReason(error)).toBe(reason);
  });
});
