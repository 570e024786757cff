// The whole server against the sandbox: real reflectors, scraper, routes and
// hub on real sockets. Events must follow objects created, changed and
// deleted through the Kubernetes API.
import { KubeConfig } from '@kubernetes/client-node';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { ClusterListResponse, StoreChangedEvent } from '../../src/contract/api';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import {
  cluster as clusterManifest,
  namespace as namespaceManifest,
} from '../../src/sandbox/scenarios/manifests';
import type { ServeConfig } from '../../src/server/config/serve-config';
import { startServer, type RunningServer } from '../../src/server/index';
import { testServeConfig } from '../support/serve-config';

let sandbox: Sandbox;
let server: RunningServer;
const logLines: string[] = [];
const logSink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    logLines.push(
      ...String(chunk)
        .split('\n')
        .filter((line) => line !== ''),
    );
    done();
  },
});

const config: ServeConfig = testServeConfig();

async function untilReady(): Promise<void> {
  for (;;) {
    const response = await fetch(new URL('/readyz', server.url));
    if (response.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: 'empty', speed: 20 });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(sandbox.kubeconfig);
  server = await startServer(config, { kubeConfig, logger: pino({ level: 'info' }, logSink) });
  await untilReady();
});

afterAll(async () => {
  await server?.close();
  await sandbox?.close();
});

function clusterResource() {
  const resource = sandbox.store.resourceFor('postgresql.cnpg.io', 'clusters');
  if (resource === undefined) throw new Error('the sandbox does not serve clusters');
  return resource;
}

function createNamespace(name: string): void {
  const resource = sandbox.store.resourceFor('', 'namespaces');
  if (resource === undefined) throw new Error('the sandbox does not serve namespaces');
  sandbox.store.create(resource, namespaceManifest(name));
}

/** A WebSocket client of the server's own origin, with a wait for a matching event. */
async function subscribe() {
  const ws = new WebSocket(new URL('/ws', server.url.replace('http', 'ws')), {
    headers: { origin: server.url.replace(/\/$/, '') },
  });
  const events: StoreChangedEvent[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (data) => {
    events.push(JSON.parse(String(data)) as StoreChangedEvent);
    for (const wake of waiters.splice(0)) wake();
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const waitFor = async (match: (event: StoreChangedEvent) => boolean) => {
    for (;;) {
      const found = events.find(match);
      if (found !== undefined) return found;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  return { ws, events, waitFor };
}

describe('deckhand serve against the sandbox', () => {
  it('reports every kind synced on /readyz', async () => {
    const body = (await (await fetch(new URL('/readyz', server.url))).json()) as {
      status: string;
      kinds: { kind: string; state: string }[];
    };
    expect(body.status).toBe('ready');
    expect(body.kinds.map((k) => k.kind).sort()).toEqual([
      'backups',
      'clusters',
      'objectstores',
      'pods',
      'pvcs',
      'scheduledbackups',
    ]);
  });

  it('sends upsert and delete events for a cluster created, changed and deleted through the API', async () => {
    const client = await subscribe();
    createNamespace('team-ws');
    sandbox.store.create(
      clusterResource(),
      clusterManifest({ namespace: 'team-ws', name: 'alpha', instances: 1, size: '1Gi' }),
    );

    const created = await client.waitFor(
      (e) => e.kind === 'cluster' && e.name === 'alpha' && e.action === 'upsert',
    );
    expect(created).toMatchObject({ type: 'store.changed', namespace: 'team-ws' });
    expect(Date.parse(created.occurredAt)).not.toBeNaN();

    const list = (await (
      await fetch(new URL('/api/clusters?namespace=team-ws', server.url))
    ).json()) as ClusterListResponse;
    expect(list.items.map((item) => item.name)).toEqual(['alpha']);

    sandbox.store.delete(clusterResource(), 'team-ws', 'alpha');
    await client.waitFor(
      (e) => e.kind === 'cluster' && e.name === 'alpha' && e.action === 'delete',
    );
    const after = await fetch(new URL('/api/clusters/team-ws/alpha', server.url));
    expect(after.status).toBe(404);
    expect(await after.json()).toEqual({
      error: 'cluster "alpha" in namespace "team-ws" not found',
    });
    client.ws.close();
  });

  it('refuses a WebSocket from a foreign origin with 403', async () => {
    const ws = new WebSocket(new URL('/ws', server.url.replace('http', 'ws')), {
      headers: { origin: 'https://elsewhere.example.com' },
    });
    ws.on('error', () => undefined);
    const status = await new Promise<number>((resolve) =>
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    );
    expect(status).toBe(403);
  });

  it('serves cluster details with conditions once the operator brought the cluster up', async () => {
    createNamespace('team-detail');
    sandbox.store.create(
      clusterResource(),
      clusterManifest({ namespace: 'team-detail', name: 'beta', instances: 1, size: '1Gi' }),
    );
    const client = await subscribe();
    await client.waitFor((e) => e.kind === 'cluster' && e.name === 'beta');
    const detail = await fetch(new URL('/api/clusters/team-detail/beta', server.url));
    expect(detail.status).toBe(200);
    const body = (await detail.json()) as {
      cluster: { name: string; phase: string };
      backups: unknown[];
      scheduledBackups: unknown[];
    };
    expect(body.cluster.name).toBe('beta');
    expect(typeof body.cluster.phase).toBe('string');
    expect(body.backups).toEqual([]);
    expect(body.scheduledBackups).toEqual([]);
    client.ws.close();
  });

  it('never shows pod IPs once instances are scraped', async () => {
    createNamespace('team-ips');
    sandbox.store.create(
      clusterResource(),
      clusterManifest({ namespace: 'team-ips', name: 'gamma', instances: 2, size: '1Gi' }),
    );
    const client = await subscribe();
    await client.waitFor(
      (e) => e.kind === 'metrics' && e.namespace === 'team-ips' && e.name === 'gamma',
    );
    client.ws.close();

    const ipv4 = /(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w.])/;
    for (const path of [
      '/api/clusters',
      '/api/clusters/team-ips/gamma',
      '/api/clusters/team-ips/gamma/metrics',
    ]) {
      const body = await (await fetch(new URL(path, server.url))).text();
      expect(body).toContain('gamma');
      expect(body).not.toMatch(ipv4);
    }
  });

  it('logs start-up and sync at info, but no line per request and no pod address', async () => {
    for (let i = 0; i < 5; i += 1) await fetch(new URL('/api/clusters', server.url));
    const messages = logLines.map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages).toContain('deckhand listening');
    expect(messages).toContain('kind synced');
    expect(logLines.some((line) => line.includes('/api/clusters'))).toBe(false);
    expect(
      logLines.some(
        (line) => /(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}:\d+/.test(line) && !line.includes('127.0.0.1'),
      ),
    ).toBe(false);
  });
});
