import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { redactedUrl } from '../../src/server/metrics/errors';
import { fetchExposition, type FetchOutcome } from '../../src/server/metrics/fetch';
import { WANTED_METRICS, readInstance } from '../../src/server/metrics/readings';
import { startExporter, type ExporterBehaviour, type LocalExporter } from './scrape-exporters';

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const limits = { timeoutMs: 1000, maxBodyBytes: 4 * 1024 * 1024, wanted: WANTED_METRICS };
const running: LocalExporter[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((exporter) => exporter.close()));
});

async function scrape(
  behaviour: ExporterBehaviour,
  overrides: Partial<typeof limits> = {},
): Promise<FetchOutcome> {
  const exporter = await startExporter(behaviour);
  running.push(exporter);
  return scrapePort(exporter.port, overrides);
}

function scrapePort(port: number, overrides: Partial<typeof limits> = {}): Promise<FetchOutcome> {
  const url = new URL(`http://127.0.0.1:${port}/metrics`);
  return fetchExposition({ url, displayUrl: redactedUrl(url), agent }, { ...limits, ...overrides });
}

function errorOf(outcome: FetchOutcome): string {
  if (outcome.isOk) throw new Error('expected the scrape to fail');
  return outcome.error.replace(/:\d+\//, ':PORT/');
}

describe('one scrape of an exporter', () => {
  it('reads a healthy exporter into connection, replication and disk numbers', async () => {
    const outcome = await scrape('healthy');
    if (!outcome.isOk) throw new Error(outcome.error);
    expect(readInstance(outcome.result)).toEqual({
      isCollectorUp: true,
      active: 7,
      idle: 1,
      idleInTransaction: 2,
      totalConnections: 10,
      maxConnections: 100,
      replicationLagSeconds: 0,
      isReplica: false,
      isWalReceiverUp: false,
      streamingReplicas: 2,
      replayLagBytes: 4096,
      databaseSizeBytes: 15_000_000,
    });
  });

  it('accepts a gzip-compressed body', async () => {
    const outcome = await scrape('gzip');
    expect(outcome.isOk && readInstance(outcome.result).totalConnections).toBe(10);
  });

  it('waits for a slow exporter that answers within the timeout', async () => {
    const outcome = await scrape('slow');
    expect(outcome.isOk).toBe(true);
  });

  it('gives up on a hanging exporter at the timeout', async () => {
    const outcome = await scrape('hang', { timeoutMs: 200 });
    expect(errorOf(outcome)).toBe('scrape http://<redacted>:PORT/metrics: timed out after 200ms');
  });

  it('reports a refused connection without the address', async () => {
    const port = await unusedPort();
    const outcome = await scrapePort(port);
    expect(errorOf(outcome)).toBe('scrape http://<redacted>:PORT/metrics: connection refused');
  });

  it('rejects an HTML page as a malformed exposition', async () => {
    const outcome = await scrape('garbage');
    expect(errorOf(outcome)).toBe(
      'scrape http://<redacted>:PORT/metrics: malformed exposition: line 1: invalid metric name',
    );
  });

  it('rejects an empty body', async () => {
    expect(errorOf(await scrape('empty'))).toBe(
      'scrape http://<redacted>:PORT/metrics: malformed exposition: no samples',
    );
  });

  it('stops reading a 20 MiB body at the 4 MiB cap', async () => {
    const outcome = await scrape('huge', { timeoutMs: 5000 });
    expect(errorOf(outcome)).toBe('scrape http://<redacted>:PORT/metrics: body larger than 4 MiB');
  });

  it('counts the cap after decompression, so a gzip bomb is stopped too', async () => {
    const outcome = await scrape('gzipBomb', { timeoutMs: 5000 });
    expect(errorOf(outcome)).toBe('scrape http://<redacted>:PORT/metrics: body larger than 4 MiB');
  });

  it('does not follow a redirect', async () => {
    const outcome = await scrape('redirect');
    expect(errorOf(outcome)).toBe(
      'scrape http://<redacted>:PORT/metrics: HTTP 302 (redirects are not followed)',
    );
  });

  it('reports the status of an HTTP error', async () => {
    expect(errorOf(await scrape('error503'))).toBe(
      'scrape http://<redacted>:PORT/metrics: HTTP 503',
    );
  });

  it('reports a connection closed in the middle of the body', async () => {
    expect(errorOf(await scrape('cutOff'))).toMatch(
      /^scrape http:\/\/<redacted>:PORT\/metrics: (connection closed before the body was complete|connection reset)$/,
    );
  });

  it('reuses its kept-alive connection across scrapes', async () => {
    const exporter = await startExporter('healthy');
    running.push(exporter);
    let connections = 0;
    const countingAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const originalCreate = countingAgent.createConnection.bind(countingAgent);
    countingAgent.createConnection = ((...args: Parameters<typeof originalCreate>) => {
      connections += 1;
      return originalCreate(...args);
    }) as typeof countingAgent.createConnection;
    const url = new URL(`http://127.0.0.1:${exporter.port}/metrics`);
    for (let i = 0; i < 3; i += 1) {
      const outcome = await fetchExposition(
        { url, displayUrl: redactedUrl(url), agent: countingAgent },
        limits,
      );
      expect(outcome.isOk).toBe(true);
    }
    expect(connections).toBe(1);
    countingAgent.destroy();
  });
});

async function unusedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
