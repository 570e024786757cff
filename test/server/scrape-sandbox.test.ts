// The server against the sandbox's simulated exporters, in both scrape modes:
// every exporter fault the sandbox can inject must end in the right
// scrapeError and `unknown` health for that instance only.
import { KubeConfig } from '@kubernetes/client-node';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterMetricsResponse, InstanceMetrics } from '../../src/contract/api';
import { startSandbox, type ExporterFault, type Sandbox } from '../../src/sandbox/index';
import type { ServeConfig } from '../../src/server/config/serve-config';
import { startServer, type RunningServer } from '../../src/server/index';
import { testServeConfig } from '../support/serve-config';

// Generous, so 4 MiB of the `huge` fault arrive before the deadline on a busy machine.
const TIMEOUT_MS = 2000;

function serveConfig(scrapeVia: 'direct' | 'proxy'): ServeConfig {
  return testServeConfig({ scrapeIntervalMs: 3_000, scrapeTimeoutMs: TIMEOUT_MS, scrapeVia });
}

describe.each(['direct', 'proxy'] as const)('scraping sandbox exporters (%s)', (scrapeVia) => {
  let sandbox: Sandbox;
  let server: RunningServer;
  let namespace = '';
  let cluster = '';
  let pods: string[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ clusters: 1, speed: 20 });
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(sandbox.kubeconfig);
    server = await startServer(serveConfig(scrapeVia), {
      kubeConfig,
      logger: pino({ level: 'silent' }),
    });
    const clusters = sandbox.store.resourceFor('postgresql.cnpg.io', 'clusters');
    if (clusters === undefined) throw new Error('the sandbox serves no clusters');
    const first = sandbox.store.list(clusters).items[0];
    namespace = first?.metadata.namespace ?? '';
    cluster = first?.metadata.name ?? '';
  });

  afterAll(async () => {
    await server?.close();
    await sandbox?.close();
  });

  async function metrics(): Promise<ClusterMetricsResponse | undefined> {
    const response = await fetch(
      new URL(`/api/clusters/${namespace}/${cluster}/metrics`, server.url),
    );
    return response.status === 200
      ? ((await response.json()) as ClusterMetricsResponse)
      : undefined;
  }

  /** Polls the metrics route until `isDone` holds; the test timeout bounds the wait. */
  async function until(
    isDone: (body: ClusterMetricsResponse) => boolean,
  ): Promise<ClusterMetricsResponse> {
    for (;;) {
      const body = await metrics();
      if (body !== undefined && isDone(body)) return body;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const instance = (body: ClusterMetricsResponse, pod: string): InstanceMetrics | undefined =>
    body.instances.find((i) => i.podName === pod);
  const allScraped = (body: ClusterMetricsResponse): boolean =>
    body.instances.length === 3 &&
    body.instances.every((i) => i.scrapeError === undefined && i.health !== 'unknown');

  it('scrapes every instance of a healthy cluster', async () => {
    const body = await until(allScraped);
    pods = body.instances.map((i) => i.podName);
    expect(body.overallHealth).toBe('healthy');
    expect(body.instances.every((i) => i.connections.maxConnections > 0)).toBe(true);
    expect(body.instances.filter((i) => i.replication.isReplica)).toHaveLength(2);
  });

  const proxyPath = (pod: string) =>
    `/api/v1/namespaces/${namespace}/pods/${pod}:9187/proxy/metrics`;
  const cases: [string, ExporterFault, (pod: string) => RegExp][] = [
    ['hang', { mode: 'hang' }, () => /: timed out after 2s$/],
    ['slow beyond the timeout', { mode: 'slow', delayMs: 8000 }, () => /: timed out after 2s$/],
    [
      'refuse',
      { mode: 'refuse' },
      () => (scrapeVia === 'direct' ? /: connection refused$/ : /: HTTP 503$/),
    ],
    ['garbage', { mode: 'garbage' }, () => /: malformed exposition: line 1: invalid metric name$/],
    ['huge', { mode: 'huge' }, () => /: body larger than 4 MiB$/],
  ];

  it.each(cases)('reports the "%s" fault on that instance only', async (_name, fault, expected) => {
    const pod = pods[1] ?? '';
    sandbox.exporterFaults.set({ namespace, pod }, fault);
    const body = await until((b) => instance(b, pod)?.scrapeError !== undefined);

    const broken = instance(body, pod);
    expect(broken?.health).toBe('unknown');
    expect(broken?.scrapeError).toMatch(expected(pod));
    const prefix =
      scrapeVia === 'direct'
        ? 'scrape http://<redacted>:9187/metrics: '
        : `scrape https://<redacted>:${new URL(sandbox.url).port}${proxyPath(pod)}: `;
    expect(broken?.scrapeError?.startsWith(prefix)).toBe(true);
    expect(body.overallHealth).toBe('warning');
    for (const other of pods.filter((p) => p !== pod)) {
      expect(instance(body, other)?.scrapeError).toBeUndefined();
    }

    sandbox.exporterFaults.clear({ namespace, pod });
    await until(allScraped);
  });

  it('never puts a pod IP into the response', async () => {
    const response = await fetch(
      new URL(`/api/clusters/${namespace}/${cluster}/metrics`, server.url),
    );
    expect(await response.text()).not.toMatch(/\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/);
  });
});
