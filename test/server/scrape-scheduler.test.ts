import http from 'node:http';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MetricsCache } from '../../src/server/metrics/cache';
import { redactedUrl } from '../../src/server/metrics/errors';
import type { FetchOutcome, FetchTarget } from '../../src/server/metrics/fetch';
import { DEFAULT_THRESHOLDS } from '../../src/server/metrics/health';
import { parseExposition } from '../../src/server/metrics/parser';
import { WANTED_METRICS } from '../../src/server/metrics/readings';
import { Scraper } from '../../src/server/metrics/scraper';
import type { PodProjection } from '../../src/server/store/types';
import { FakeStore, aCluster } from './api-fixtures';
import { cnpgExposition, type ExporterText } from './scrape-exporters';

const INTERVAL = 10_000;
const agent = new http.Agent();

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
    podIP: `10.0.0.${name.slice(-1)}`,
    metricsPort: 9187,
    ...overrides,
  };
}

function ok(text: ExporterText = {}): FetchOutcome {
  const result = parseExposition(cnpgExposition(text), { wanted: WANTED_METRICS });
  return { isOk: true, result, bodyBytes: 1000 };
}

function refused(pod: string): FetchOutcome {
  return {
    isOk: false,
    error: `scrape http://<redacted>:9187/metrics: connection refused (${pod})`,
  };
}

interface Harness {
  store: FakeStore;
  cache: MetricsCache;
  scraper: Scraper;
  calls: { pod: string; at: number }[];
  answer: Map<string, () => Promise<FetchOutcome>>;
  changes: string[];
}

let harness: Harness;
let endpointFailure: string | undefined;

function setUp(): Harness {
  const store = new FakeStore();
  store.put('clusters', aCluster());
  for (const name of ['alpha-1', 'alpha-2', 'alpha-3']) store.put('pods', aPod(name));
  const cache = new MetricsCache({
    store,
    thresholds: DEFAULT_THRESHOLDS,
    historySlots: 360,
    now: () => new Date(),
  });
  const calls: Harness['calls'] = [];
  const answer = new Map<string, () => Promise<FetchOutcome>>();
  const scraper = new Scraper({
    store,
    sink: cache,
    logger: pino({ level: 'silent' }),
    scrapeVia: 'direct',
    intervalMs: INTERVAL,
    limits: { timeoutMs: 5000, maxBodyBytes: 4 << 20, wanted: WANTED_METRICS },
    endpoint: async (spec): Promise<FetchTarget> => {
      if (endpointFailure !== undefined) throw new Error(endpointFailure);
      const url = new URL(`http://${spec.podIP}:${spec.port}/metrics#${spec.podName}`);
      return { url, displayUrl: redactedUrl(url), agent };
    },
    fetch: (target) => {
      const pod = target.url.hash.slice(1);
      calls.push({ pod, at: Date.now() });
      return (answer.get(pod) ?? (async () => ok()))();
    },
  });
  const changes: string[] = [];
  cache.onChange(({ namespace, name }) => changes.push(`${namespace}/${name}`));
  return { store, cache, scraper, calls, answer, changes };
}

function callTimes(pod: string): number[] {
  return harness.calls.filter((call) => call.pod === pod).map((call) => call.at);
}

function gaps(times: number[]): number[] {
  return times.slice(1).map((time, i) => (time - (times[i] ?? 0)) / 1000);
}

beforeEach(() => {
  endpointFailure = undefined;
  vi.useFakeTimers({ now: 1_000_000 });
  harness = setUp();
});

afterEach(async () => {
  await harness.scraper.stop();
  vi.useRealTimers();
});

describe('scrape scheduling', () => {
  it('scrapes every instance once per interval, all instances of a cluster in the same instant', async () => {
    harness.scraper.start();
    await vi.advanceTimersByTimeAsync(3 * INTERVAL);

    const first = callTimes('alpha-1');
    expect(first).toHaveLength(3);
    expect(gaps(first)).toEqual([10, 10]);
    expect(callTimes('alpha-2')).toEqual(first);
    expect(callTimes('alpha-3')).toEqual(first);
  });

  it('keeps the same offset within the interval after a restart', async () => {
    harness.scraper.start();
    await vi.advanceTimersByTimeAsync(INTERVAL);
    const before = (callTimes('alpha-1')[0] ?? 0) % INTERVAL;
    await harness.scraper.stop();

    harness = setUp();
    await vi.advanceTimersByTimeAsync(3333);
    harness.scraper.start();
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect((callTimes('alpha-1')[0] ?? 0) % INTERVAL).toBe(before);
  });

  it('backs a failing target off by doubling up to five minutes, then returns to the interval', async () => {
    harness.answer.set('alpha-2', async () => refused('alpha-2'));
    harness.scraper.start();
    await vi.advanceTimersByTimeAsync(16 * 60_000);

    expect(gaps(callTimes('alpha-2'))).toEqual([10, 20, 40, 80, 160, 300, 300]);
    expect(harness.scraper.stats().backedOffTargets).toBe(1);

    harness.answer.delete('alpha-2');
    await vi.advanceTimersByTimeAsync(300_000 + 3 * INTERVAL);
    expect(gaps(callTimes('alpha-2')).slice(6, 9)).toEqual([300, 300, 10]);
    expect(harness.scraper.stats().backedOffTargets).toBe(0);
  });

  it('keeps scraping the other instances on time while one hangs until its timeout', async () => {
    harness.answer.set(
      'alpha-3',
      () => new Promise((resolve) => setTimeout(() => resolve(refused('alpha-3')), 5000)),
    );
    harness.scraper.start();
    await vi.advanceTimersByTimeAsync(4 * INTERVAL);

    expect(gaps(callTimes('alpha-1'))).toEqual([10, 10, 10]);
    expect(gaps(callTimes('alpha-2'))).toEqual([10, 10, 10]);
  });
});

describe('scrape results', () => {
  it('drops a result when the pod was recreated (new UID) during the scrape', async () => {
    let release: (outcome: FetchOutcome) => void = () => undefined;
    harness.answer.set('alpha-1', () => new Promise((resolve) => (release = resolve)));
    harness.scraper.start();
    await vi.advanceTimersByTimeAsync(INTERVAL);

    harness.store.put('pods', aPod('alpha-1', { uid: 'uid-alpha-1-recreated' }));
    release(ok({ connections: 99 }));
    await vi.advanceTimersByTimeAsync(0);

    expect(harness.scraper.stats().droppedResultsTotal).toBe(1);
    const alpha1 = harness.cache.clusterMetrics('team-a', 'alpha').instances[0];
    expect(alpha1?.connections.total).not.toBe(99);
  });

  it('notifies once per cluster per round, and only when something changed', async () => {
    harness.scraper.start();
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(harness.changes).toEqual(['team-a/alpha']);

    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(harness.changes).toHaveLength(1);

    harness.answer.set('alpha-2', async () => ok({ connections: 50 }));
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(harness.changes).toEqual(['team-a/alpha', 'team-a/alpha']);
  });

  it('reports a request that could not be built, without the address in the message', async () => {
    endpointFailure = 'exec plugin failed to reach https://10.9.8.7:6443';
    harness.scraper.start();
    await vi.advanceTimersByTimeAsync(INTERVAL);

    const instance = harness.cache.clusterMetrics('team-a', 'alpha').instances[0];
    expect(instance?.scrapeError).toBe(
      'scrape: request could not be built: exec plugin failed to reach <redacted>',
    );
  });

  it('shows why a pod that is not running or has no IP is not scraped', async () => {
    harness.store.put('pods', aPod('alpha-2', { phase: 'Pending', podIP: undefined }));
    harness.store.put('pods', aPod('alpha-3', { podIP: undefined }));
    harness.scraper.start();
    await vi.advanceTimersByTimeAsync(INTERVAL);

    const instances = harness.cache.clusterMetrics('team-a', 'alpha').instances;
    expect(instances.map((i) => [i.podName, i.health, i.scrapeError])).toEqual([
      ['alpha-1', 'healthy', undefined],
      ['alpha-2', 'unknown', 'pod is not running (Pending)'],
      ['alpha-3', 'unknown', 'pod has no IP yet'],
    ]);
    expect(callTimes('alpha-2')).toEqual([]);
  });

  it('follows the store: a new instance is scraped and a deleted one no longer is', async () => {
    harness.scraper.start();
    await vi.advanceTimersByTimeAsync(INTERVAL);

    harness.store.put('clusters', aCluster({ instanceNames: ['alpha-1', 'alpha-2', 'alpha-4'] }));
    harness.store.remove('pods', 'team-a', 'alpha-3');
    harness.store.put('pods', aPod('alpha-4'));
    await vi.advanceTimersByTimeAsync(INTERVAL);

    expect(callTimes('alpha-3')).toHaveLength(1);
    expect(callTimes('alpha-4')).toHaveLength(1);
    const names = harness.cache.clusterMetrics('team-a', 'alpha').instances.map((i) => i.podName);
    expect(names).toEqual(['alpha-1', 'alpha-2', 'alpha-4']);
  });

  it('does not scrape pods of the cluster that are not instances (operator jobs)', async () => {
    harness.store.put('pods', aPod('alpha-1-initdb', { role: undefined }));
    harness.scraper.start();
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(callTimes('alpha-1-initdb')).toEqual([]);
  });

  it('stops scraping everything when the cluster is deleted', async () => {
    harness.scraper.start();
    await vi.advanceTimersByTimeAsync(INTERVAL);
    harness.store.remove('clusters', 'team-a', 'alpha');
    await vi.advanceTimersByTimeAsync(3 * INTERVAL);

    expect(callTimes('alpha-1')).toHaveLength(1);
    expect(harness.scraper.stats().targets).toBe(0);
    expect(harness.cache.clusterHistory('team-a', 'alpha').instances).toEqual([]);
  });
});
