// The WebSocket metrics on real sockets: connected clients and the clients
// the hub let go, by reason.
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { Hub, type HubLimits } from '../../src/server/hub/hub';
import { Observability } from '../../src/server/observability/observability';
import { buildTestApp } from './api-app-support';
import { aCluster } from './api-fixtures';
import { scrape, valueOf } from './observability-support';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serverWithHub(limits: Partial<HubLimits> = {}) {
  const observability = new Observability({ shouldCollectRuntime: false });
  const { app, store, metrics } = await buildTestApp({ routeModules: [observability.routes] });
  const hub = new Hub({ store, metrics, logger: pino({ level: 'silent' }), limits });
  await app.listen({ host: '127.0.0.1', port: 0 });
  hub.attach(app.server);
  observability.watchHub(hub);
  cleanups.push(async () => {
    await hub.close();
    await app.close();
  });
  const { port } = app.server.address() as AddressInfo;
  return { app, hub, store, url: `ws://127.0.0.1:${port}/ws` };
}

async function connect(url: string, options: { autoPong?: boolean } = {}): Promise<WebSocket> {
  const ws = new WebSocket(url, options);
  ws.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  cleanups.push(async () => void ws.terminate());
  return ws;
}

function closed(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
}

const dropped = 'deckhand_websocket_clients_dropped_total';

describe('WebSocket metrics', () => {
  it('shows connected clients in the gauge', async () => {
    const { app, url } = await serverWithHub();
    const before = await scrape(app);

    await connect(url);
    await connect(url);
    const after = await scrape(app);

    expect(valueOf(before, 'deckhand_websocket_clients')).toBe(0);
    expect(valueOf(after, 'deckhand_websocket_clients')).toBe(2);
  });

  it('counts a client that sent an oversized message, and forgets it as connected', async () => {
    const { app, url } = await serverWithHub({ maxPayloadBytes: 64 });
    const client = await connect(url);

    const closing = closed(client);
    client.send('x'.repeat(1000));
    expect(await closing).toBe(1009);
    const samples = await scrape(app);

    expect(valueOf(samples, dropped, { reason: 'oversize' })).toBe(1);
    expect(valueOf(samples, dropped, { reason: 'slow' })).toBe(0);
    expect(valueOf(samples, 'deckhand_websocket_clients')).toBe(0);
  });

  it('counts a client that stopped answering pings', async () => {
    const { app, url } = await serverWithHub({ pingIntervalMs: 20, maxMissedPongs: 1 });
    const client = await connect(url, { autoPong: false });

    await closed(client);
    const samples = await scrape(app);

    expect(valueOf(samples, dropped, { reason: 'pong_timeout' })).toBe(1);
  });

  it('counts a client that stopped reading as slow', async () => {
    const { app, hub, store, url } = await serverWithHub({
      maxBufferedBytes: 64 * 1024,
      coalesceMs: 1,
    });
    const client = await connect(url);
    (client as unknown as { _socket: { pause(): void } })._socket.pause();

    for (let round = 0; hub.stats().clients > 0; round += 1) {
      for (let i = 0; i < 2000; i += 1) {
        store.put('clusters', aCluster({ name: `c-${round}-${i}` }));
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const samples = await scrape(app);

    expect(valueOf(samples, dropped, { reason: 'slow' })).toBe(1);
    expect(valueOf(samples, dropped, { reason: 'oversize' })).toBe(0);
  });

  it('counts the clients closed by shutdown', async () => {
    const { hub, url } = await serverWithHub();
    await connect(url);
    await connect(url);

    await hub.close();

    expect(hub.stats().dropped.shutdown).toBe(2);
    expect(hub.stats().clients).toBe(0);
  });
});
