import { afterEach, describe, expect, it } from 'vitest';
import { Reflector, type ReflectorOptions } from '../../src/server/kube/reflector';
import { kubeTransport } from '../../src/server/kube/transport';
import { WATCHED_RESOURCES, type WatchedResource } from '../../src/server/kube/resources';
import { Store } from '../../src/server/store/store';
import type { StoreKind } from '../../src/server/store/types';
import { rawCluster } from './store-fixtures';
import {
  captureLogger,
  eventually,
  FakeApiServer,
  kubeConfigFor,
  listOf,
} from './reflector-fake-server';

const CLUSTERS = '/apis/postgresql.cnpg.io/v1/clusters';
const FAST_BACKOFF = { initialMs: 10, maxMs: 40, factor: 2, jitter: 0.2 };

function resource(kind: StoreKind): WatchedResource {
  return WATCHED_RESOURCES.find((item) => item.kind === kind)!;
}

function clusterAt(name: string, resourceVersion: string, status: Record<string, unknown> = {}) {
  return rawCluster(name, { metadata: { resourceVersion, uid: `uid-${name}` }, status });
}

let server: FakeApiServer;
let reflector: Reflector | undefined;

afterEach(async () => {
  await reflector?.stop();
  reflector = undefined;
  await server.close();
});

async function startReflector(options: Partial<ReflectorOptions> = {}) {
  const url = await server.start();
  const store = new Store();
  const log = captureLogger();
  reflector = new Reflector({
    resource: resource('clusters'),
    transport: kubeTransport(kubeConfigFor(url)),
    store,
    logger: log.logger,
    backoff: FAST_BACKOFF,
    ...options,
  });
  reflector.start();
  return { store, log, reflector };
}

describe('Reflector', () => {
  it('lists every page, then watches from the list version with bookmarks and applies events', async () => {
    server = new FakeApiServer()
      .on((request) => (request.isWatch ? { lines: [], keepOpen: true } : undefined))
      .on((request) =>
        !request.isWatch && request.query.get('continue') === null
          ? { status: 200, body: listOf([clusterAt('alpha', '5')], '10', 'page-2') }
          : undefined,
      )
      .on((request) =>
        request.query.get('continue') === 'page-2'
          ? { status: 200, body: listOf([clusterAt('beta', '6')], '10') }
          : undefined,
      )
      .on((request) =>
        request.isWatch && request.query.get('resourceVersion') === '10'
          ? {
              lines: [
                { type: 'ADDED', object: clusterAt('gamma', '11') },
                { type: 'MODIFIED', object: clusterAt('alpha', '12', { readyInstances: 1 }) },
                { type: 'DELETED', object: clusterAt('beta', '13') },
                {
                  type: 'BOOKMARK',
                  object: { kind: 'Cluster', metadata: { resourceVersion: '20' } },
                },
              ],
            }
          : undefined,
      );

    const { store, reflector } = await startReflector();
    await reflector.waitForSync();
    await eventually(() => server.seen(CLUSTERS, 'watch').length >= 2);

    const [firstList] = server.seen(CLUSTERS, 'list');
    const [firstWatch, secondWatch] = server.seen(CLUSTERS, 'watch');
    expect(firstList?.query.get('limit')).toBe('500');
    expect(firstWatch?.query.get('allowWatchBookmarks')).toBe('true');
    const timeoutSeconds = Number(firstWatch?.query.get('timeoutSeconds'));
    expect(timeoutSeconds).toBeGreaterThanOrEqual(300);
    expect(timeoutSeconds).toBeLessThanOrEqual(600);
    expect(secondWatch?.query.get('resourceVersion')).toBe('20');
    expect(
      store
        .list('clusters')
        .map((item) => `${item.name}:${item.readyInstances}`)
        .sort(),
    ).toEqual(['alpha:1', 'gamma:3']);
    expect(reflector.counters).toMatchObject({ lists: 1, relists: 0, eventsApplied: 3 });
  });

  it('relists exactly once after a 410 in the stream and swaps the store to the new list', async () => {
    let lists = 0;
    server = new FakeApiServer()
      .on((request) => (request.isWatch ? { lines: [], keepOpen: true } : undefined))
      .on((request) => {
        if (request.isWatch) return undefined;
        lists += 1;
        return lists === 1
          ? { status: 200, body: listOf([clusterAt('alpha', '5'), clusterAt('beta', '6')], '10') }
          : { status: 200, body: listOf([clusterAt('alpha', '30')], '40') };
      })
      .on((request) =>
        request.isWatch && request.query.get('resourceVersion') === '10'
          ? {
              lines: [
                {
                  type: 'ERROR',
                  object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old' },
                },
              ],
            }
          : undefined,
      );

    const { store, reflector } = await startReflector();
    await eventually(() =>
      server
        .seen(CLUSTERS, 'watch')
        .some((request) => request.query.get('resourceVersion') === '40'),
    );

    expect(reflector.counters.relists).toBe(1);
    expect(server.seen(CLUSTERS, 'list')).toHaveLength(2);
    expect(store.list('clusters').map((item) => item.name)).toEqual(['alpha']);
  });

  it('relists once when the watch itself is answered with 410 Gone', async () => {
    let lists = 0;
    server = new FakeApiServer()
      .on((request) => (request.isWatch ? { lines: [], keepOpen: true } : undefined))
      .on((request) => {
        if (request.isWatch) return undefined;
        lists += 1;
        return { status: 200, body: listOf([clusterAt('alpha', '5')], lists === 1 ? '10' : '50') };
      })
      .on((request) =>
        request.isWatch && request.query.get('resourceVersion') === '10'
          ? { status: 410 }
          : undefined,
      );

    const { reflector } = await startReflector();
    await eventually(() => server.seen(CLUSTERS, 'watch').length >= 2);

    expect(reflector.counters.relists).toBe(1);
    expect(
      server.seen(CLUSTERS, 'watch').map((request) => request.query.get('resourceVersion')),
    ).toEqual(['10', '50']);
  });

  it('restarts the watch from the last good resourceVersion after a malformed line, and counts it', async () => {
    server = new FakeApiServer()
      .on((request) => (request.isWatch ? { lines: [], keepOpen: true } : undefined))
      .on((request) => (request.isWatch ? undefined : { status: 200, body: listOf([], '10') }))
      .on((request) =>
        request.isWatch && request.query.get('resourceVersion') === '10'
          ? {
              lines: [
                { type: 'ADDED', object: clusterAt('alpha', '11') },
                '{"type":"MODIFIED","obj',
                { type: 'ADDED', object: clusterAt('beta', '12') },
              ],
            }
          : undefined,
      );

    const { store, log, reflector } = await startReflector();
    await eventually(() => server.seen(CLUSTERS, 'watch').length >= 2);

    expect(server.seen(CLUSTERS, 'watch')[1]?.query.get('resourceVersion')).toBe('11');
    expect(reflector.counters.malformedLines).toBe(1);
    expect(store.list('clusters').map((item) => item.name)).toEqual(['alpha']);
    expect(log.entries().some((entry) => entry.level === 40 && entry.malformedLines === 1)).toBe(
      true,
    );
  });

  it('treats an event without an object, or an over-long line, as malformed', async () => {
    server = new FakeApiServer()
      .on((request) => (request.isWatch ? { lines: [], keepOpen: true } : undefined))
      .on((request) => (request.isWatch ? undefined : { status: 200, body: listOf([], '10') }))
      .on((request) =>
        request.isWatch && server.seen(CLUSTERS, 'watch').length === 1
          ? { lines: [{ type: 'ADDED' }] }
          : undefined,
      )
      .on((request) =>
        request.isWatch && server.seen(CLUSTERS, 'watch').length === 2
          ? {
              lines: [
                {
                  type: 'ADDED',
                  object: clusterAt('alpha', '11', { phaseReason: 'x'.repeat(4096) }),
                },
              ],
            }
          : undefined,
      );

    const { reflector } = await startReflector({ maxLineBytes: 1024 });
    await eventually(() => server.seen(CLUSTERS, 'watch').length >= 3);

    expect(reflector.counters.malformedLines).toBe(2);
    expect(
      server.seen(CLUSTERS, 'watch').map((request) => request.query.get('resourceVersion')),
    ).toEqual(['10', '10', '10']);
  });

  it('reconnects from the last bookmark when the stream goes silent', async () => {
    server = new FakeApiServer()
      .on((request) => (request.isWatch ? { lines: [], keepOpen: true } : undefined))
      .on((request) => (request.isWatch ? undefined : { status: 200, body: listOf([], '10') }))
      .on((request) =>
        request.isWatch && request.query.get('resourceVersion') === '10'
          ? {
              lines: [{ type: 'BOOKMARK', object: { metadata: { resourceVersion: '15' } } }],
              keepOpen: true,
            }
          : undefined,
      );

    const { reflector } = await startReflector({ silenceTimeoutMs: 150 });
    await eventually(() => server.seen(CLUSTERS, 'watch').length >= 2);

    expect(server.seen(CLUSTERS, 'watch')[1]?.query.get('resourceVersion')).toBe('15');
    expect(reflector.counters.reconnects).toBeGreaterThanOrEqual(1);
    expect(reflector.counters.relists).toBe(0);
  });

  it('skips a malformed object in a list with a counted warning and keeps the rest', async () => {
    server = new FakeApiServer()
      .on((request) => (request.isWatch ? { lines: [], keepOpen: true } : undefined))
      .on((request) =>
        request.isWatch
          ? undefined
          : {
              status: 200,
              body: listOf([clusterAt('alpha', '5'), { metadata: { name: 7 } }], '10'),
            },
      );

    const { store, log, reflector } = await startReflector();
    await reflector.waitForSync();

    expect(store.list('clusters').map((item) => item.name)).toEqual(['alpha']);
    expect(reflector.counters.malformedObjects).toBe(1);
    expect(
      log.entries().filter((entry) => entry.msg === 'skipped a malformed object'),
    ).toHaveLength(1);
  });
});
