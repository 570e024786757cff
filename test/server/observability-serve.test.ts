// /metrics of the whole server against the sandbox: real reflectors feed the
// watch metrics, real exporter scrapes feed the scrape metrics, and nothing
// in the output names a namespace, a pod or an address.
import { KubeConfig } from '@kubernetes/client-node';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import { cluster, namespace } from '../../src/sandbox/scenarios/manifests';
import type { ServeConfig } from '../../src/server/config/serve-config';
import { startServer, type RunningServer } from '../../src/server/index';
import { parseExposition, valueOf, type Sample } from './observability-support';
import { testServeConfig } from '../support/serve-config';

let sandbox: Sandbox;
let server: RunningServer;

const config: ServeConfig = testServeConfig();

async function metricsText(): Promise<string> {
  return (await fetch(new URL('/metrics', server.url))).text();
}

/** Polls /metrics until a condition holds; the test's own timeout bounds the wait. */
async function untilMetrics(condition: (samples: Sample[]) => boolean): Promise<Sample[]> {
  for (;;) {
    const samples = parseExposition(await metricsText());
    if (condition(samples)) return samples;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: 'empty', speed: 20 });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(sandbox.kubeconfig);
  server = await startServer(config, { kubeConfig, logger: pino({ level: 'silent' }) });

  const namespaces = sandbox.store.resourceFor('', 'namespaces');
  const clusters = sandbox.store.resourceFor('postgresql.cnpg.io', 'clusters');
  if (namespaces === undefined || clusters === undefined) throw new Error('sandbox incomplete');
  sandbox.store.create(namespaces, namespace('team-obs'));
  sandbox.store.create(clusters, cluster({ namespace: 'team-obs', name: 'omega', instances: 2 }));
});

afterAll(async () => {
  await server?.close();
  await sandbox?.close();
});

describe('/metrics of a running server', () => {
  it('reports synced kinds, their watch counters and successful exporter scrapes', async () => {
    await fetch(new URL('/api/clusters', server.url));

    const samples = await untilMetrics(
      (s) => (valueOf(s, 'deckhand_scrape_duration_seconds_count', { result: 'success' }) ?? 0) > 0,
    );

    const synced = { kind: 'clusters', state: 'synced' };
    expect(valueOf(samples, 'deckhand_reflector_state', synced)).toBe(1);
    expect(valueOf(samples, 'deckhand_reflector_state', { ...synced, kind: 'pods' })).toBe(1);
    expect(valueOf(samples, 'deckhand_reflector_relists_total', { kind: 'clusters' })).toBe(0);
    expect(valueOf(samples, 'deckhand_reflector_malformed_lines_total', { kind: 'pods' })).toBe(0);
    // A loaded machine may time a scrape out; the series exists either way.
    expect(valueOf(samples, 'deckhand_scrape_failures_total', { reason: 'timeout' })).toBeTypeOf(
      'number',
    );
    const listRequests = { method: 'GET', route: '/api/clusters', status_code: '200' };
    expect(
      valueOf(samples, 'deckhand_http_request_duration_seconds_count', listRequests),
    ).toBeGreaterThanOrEqual(1);
    expect(samples.some((sample) => sample.name === 'nodejs_eventloop_lag_seconds')).toBe(true);
  });

  it('names no namespace, cluster, pod or address', async () => {
    const text = await metricsText();

    expect(text).toContain('deckhand_scrape_duration_seconds');
    expect(text).not.toContain('team-obs');
    expect(text).not.toContain('omega');
    expect(text).not.toMatch(/(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w.])/);
    expect(text).not.toContain('http://');
  });
});
