// The WebSocket hub on real sockets: events, coalescing, origin checks and
// the limits that protect the server from hostile or slow clients.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { StoreChangedEvent } from '../../src/contract/api';
import { Hub, type HubLimits } from '../../src/server/hub/hub';
import { FakeMetrics, FakeStore, aBackup, aCluster } from './api-fixtures';

interface Harness {
  store: FakeStore;
  metrics: FakeMetrics;
  hub: Hub;
  server: Server;
  url: string;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startHub(
  options: {
    limits?: Partial<HubLimits>;
    allowedOrigins?: string[];
    isAuthenticated?: (request: IncomingMessage) => boolean;
  } = {},
): Promise<Harness> {
  const store = new FakeStore();
  const metrics = new FakeMetrics();
  const hub = new Hub({
    store,
    metrics,
    logger: pino({ level: 'silent' }),
    now: () => new Date('2026-03-24T12:34:56Z'),
    limits: options.limits,
    allowedOrigins: options.allowedOrigins,
    isAuthenticated: options.isAuthenticated,
  });
  const server = createServer((_req, res) => res.writeHead(404).end());
  hub.attach(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    await hub.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { port } = server.address() as AddressInfo;
  return { store, metrics, hub, server, url: `ws://127.0.0.1:${port}/ws` };
}

/** A connected client that records every message. */
async function connect(url: string, headers: Record<string, string> = {}) {
  const ws = new WebSocket(url, { headers });
  const messages: StoreChangedEvent[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (data) => {
    messages.push(JSON.parse(String(data)) as StoreChangedEvent);
    for (const wake of waiters.splice(0)) wake();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  cleanups.push(async () => void ws.terminate());
  const waitFor = async (count: number) => {
    while (messages.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
    return messages;
  };
  return { ws, messages, waitFor };
}

function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
}

describe('the /ws hub', () => {
  it('sends store.changed events for cluster and backup upserts and deletes', async () => {
    const { store, url } = await startHub();
    const client = await connect(url);

    store.put('clusters', aCluster());
    await client.waitFor(1);
    store.put('backups', aBackup());
    await client.waitFor(2);
    store.remove('clusters', 'team-a', 'alpha');
    const messages = await client.waitFor(3);

    expect(messages).toEqual([
      {
        type: 'store.changed',
        kind: 'cluster',
        action: 'upsert',
        namespace: 'team-a',
        name: 'alpha',
        occurredAt: '2026-03-24T12:34:56.000Z',
      },
      {
        type: 'store.changed',
        kind: 'backup',
        action: 'upsert',
        namespace: 'team-a',
        name: 'alpha-backup',
        occurredAt: '2026-03-24T12:34:56.000Z',
      },
      {
        type: 'store.changed',
        kind: 'cluster',
        action: 'delete',
        namespace: 'team-a',
        name: 'alpha',
        occurredAt: '2026-03-24T12:34:56.000Z',
      },
    ]);
  });

  it('coalesces repeated changes of one object into one message with the latest action', async () => {
    const { store, url } = await startHub({ limits: { coalesceMs: 200 } });
    const client = await connect(url);

    for (let i = 0; i < 5; i += 1) store.put('clusters', aCluster({ readyInstances: i }));
    store.remove('clusters', 'team-a', 'alpha');
    store.put('clusters', aCluster({ name: 'beta' }));
    await client.waitFor(2);
    store.put('clusters', aCluster({ name: 'marker' }));
    const messages = await client.waitFor(3);

    expect(messages.map((m) => `${m.action} ${m.name}`)).toEqual([
      'delete alpha',
      'upsert beta',
      'upsert marker',
    ]);
  });

  it('sends a first change at once and holds later changes of that object for the rest of the window', async () => {
    const { store, url } = await startHub({ limits: { coalesceMs: 300 } });
    const client = await connect(url);
    const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

    store.put('clusters', aCluster({ readyInstances: 1 }));
    await client.waitFor(1);
    for (let i = 2; i <= 4; i += 1) {
      await tick();
      store.put('clusters', aCluster({ readyInstances: i }));
    }
    await tick();
    store.remove('clusters', 'team-a', 'alpha');
    // Another object is not held back by alpha's window: it arrives before
    // alpha's held delete.
    await tick();
    store.put('clusters', aCluster({ name: 'beta' }));
    await client.waitFor(2);
    const messages = await client.waitFor(3);

    expect(messages.map((m) => `${m.action} ${m.name}`)).toEqual([
      'upsert alpha',
      'upsert beta',
      'delete alpha',
    ]);
  });

  it('maps pod changes and metrics changes to metrics hints for the owning cluster', async () => {
    const { store, metrics, url } = await startHub();
    const client = await connect(url);
    store.put('pods', {
      namespace: 'team-a',
      name: 'alpha-1',
      uid: 'p1',
      clusterName: 'alpha',
      phase: 'Running',
      isReady: true,
      isTerminating: false,
      metricsPort: 9187,
    });
    await client.waitFor(1);
    store.remove('pods', 'team-a', 'alpha-1');
    await client.waitFor(2);
    metrics.setHealth('team-b', 'beta', 'warning');
    const messages = await client.waitFor(3);
    expect(messages.map((m) => `${m.kind} ${m.action} ${m.namespace}/${m.name}`)).toEqual([
      'metrics upsert team-a/alpha',
      'metrics upsert team-a/alpha',
      'metrics upsert team-b/beta',
    ]);
  });

  it('tells clusters archiving into a Barman Cloud ObjectStore when its recovery window changes', async () => {
    const { store, url } = await startHub();
    store.put(
      'clusters',
      aCluster({
        plugins: [
          {
            name: 'barman-cloud.cloudnative-pg.io',
            isWALArchiver: true,
            enabled: true,
            barmanObjectName: 'store-a',
          },
        ],
      }),
    );
    const client = await connect(url);
    store.put('objectstores', {
      namespace: 'team-a',
      name: 'store-a',
      uid: 'os',
      serverRecoveryWindow: {},
    });
    const messages = await client.waitFor(1);
    expect(messages[0]).toMatchObject({
      kind: 'cluster',
      action: 'upsert',
      namespace: 'team-a',
      name: 'alpha',
    });
  });

  it('accepts its own origin and listed origins and refuses others with 403', async () => {
    const { url } = await startHub({ allowedOrigins: ['https://console.example.com'] });
    const own = new URL(url);
    await connect(url, { origin: `http://${own.host}` });
    await connect(url, { origin: 'https://console.example.com' });

    const refused = new WebSocket(url, { headers: { origin: 'https://evil.example.com' } });
    refused.on('error', () => undefined);
    const status = await new Promise<number>((resolve) =>
      refused.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    );
    expect(status).toBe(403);
    refused.terminate();
  });

  it('refuses upgrades beyond the client limit with 503', async () => {
    const { url } = await startHub({ limits: { maxClients: 1 } });
    await connect(url);
    const extra = new WebSocket(url);
    extra.on('error', () => undefined);
    const status = await new Promise<number>((resolve) =>
      extra.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    );
    expect(status).toBe(503);
    extra.terminate();
  });

  it('asks the authenticator and refuses callers it does not know with 401', async () => {
    const { url } = await startHub({
      isAuthenticated: (request) => request.headers.cookie === 'session=ok',
    });
    await connect(url, { cookie: 'session=ok' });
    const stranger = new WebSocket(url);
    stranger.on('error', () => undefined);
    const status = await new Promise<number>((resolve) =>
      stranger.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    );
    expect(status).toBe(401);
    stranger.terminate();
  });

  it('answers upgrades on other paths with 404', async () => {
    const { url } = await startHub();
    const other = new WebSocket(url.replace('/ws', '/other'));
    other.on('error', () => undefined);
    const status = await new Promise<number>((resolve) =>
      other.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    );
    expect(status).toBe(404);
    other.terminate();
  });

  it('closes a client that sends a message over 4 KiB and ignores small ones', async () => {
    const { hub, store, url } = await startHub();
    const client = await connect(url);
    client.ws.send('hello');
    store.put('clusters', aCluster());
    await client.waitFor(1);
    expect(hub.clientCount).toBe(1);

    const done = closed(client.ws);
    client.ws.send('x'.repeat(5 * 1024));
    expect((await done).code).toBe(1009);
  });

  it('closes a client that stopped reading once its buffer passes the limit', async () => {
    const { hub, store, url } = await startHub({
      limits: { maxBufferedBytes: 64 * 1024, coalesceMs: 1 },
    });
    const client = await connect(url);
    const socket = (client.ws as unknown as { _socket: { pause(): void } })._socket;
    socket.pause();

    let sent = 0;
    while (hub.clientCount > 0) {
      for (let i = 0; i < 2000; i += 1) store.put('clusters', aCluster({ name: `c-${sent++}` }));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(hub.clientCount).toBe(0);
    expect(sent).toBeGreaterThan(0);
  });

  it('drops a client after two unanswered pings', async () => {
    const { hub, url } = await startHub({ limits: { pingIntervalMs: 20 } });
    const client = new WebSocket(url, { autoPong: false });
    await new Promise((resolve) => client.once('open', resolve));
    cleanups.push(async () => void client.terminate());
    let pings = 0;
    client.on('ping', () => (pings += 1));
    await closed(client);
    expect(pings).toBe(2);
    expect(hub.clientCount).toBe(0);
  });

  it('keeps a client that answers pings', async () => {
    const { hub, url } = await startHub({ limits: { pingIntervalMs: 10 } });
    const client = await connect(url);
    let pings = 0;
    await new Promise<void>((resolve) =>
      client.ws.on('ping', () => (++pings === 5 ? resolve() : undefined)),
    );
    expect(hub.clientCount).toBe(1);
  });

  it('closes clients with 1001 when it shuts down', async () => {
    const { hub, url } = await startHub();
    const client = await connect(url);
    const done = closed(client.ws);
    await hub.close();
    expect(await done).toEqual({ code: 1001, reason: 'server is shutting down' });
  });
});
