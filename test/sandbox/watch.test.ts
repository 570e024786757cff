import { CustomObjectsApi, KubeConfig, Watch } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { buildKubeconfig } from '../../src/sandbox/apiserver/kubeconfig';
import { startApiServer, type ApiServer } from '../../src/sandbox/apiserver/server';
import { builtinResources, createObjectStore } from '../../src/sandbox/store/memory';
import type { KubeObject, ObjectStore, ResourceType } from '../../src/sandbox/store/types';

const clusters = builtinResources.find((type) => type.resource === 'clusters') as ResourceType;
const namespaces = builtinResources.find((type) => type.resource === 'namespaces') as ResourceType;
const clustersPath = '/apis/postgresql.cnpg.io/v1/namespaces/db/clusters';

interface Received {
  type: string;
  object: KubeObject & { code?: number; reason?: string };
}

interface OpenWatch {
  events: Received[];
  done: Promise<(Error & { statusCode?: number }) | null>;
  waitFor(count: number): Promise<Received[]>;
  abort(): void;
}

let server: ApiServer | undefined;
let store: ObjectStore | undefined;

afterEach(async () => {
  await server?.close();
  store?.close();
  server = undefined;
  store = undefined;
});

async function start(
  options: { historyLimit?: number } = {},
): Promise<{ store: ObjectStore; config: KubeConfig }> {
  store = createObjectStore(options);
  store.create(namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'db' } });
  server = await startApiServer({ store, bookmarkIntervalMs: 100 });
  const config = new KubeConfig();
  config.loadFromString(buildKubeconfig({ server: server.url, caPem: server.caPem }));
  return { store, config };
}

function cluster(name: string, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name, namespace: 'db', labels },
    spec: { instances: 1 },
  };
}

async function openWatch(
  config: KubeConfig,
  query: Record<string, string | boolean | number>,
): Promise<OpenWatch> {
  const events: Received[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let finish: (error: (Error & { statusCode?: number }) | null) => void = () => undefined;
  const done = new Promise<(Error & { statusCode?: number }) | null>(
    (resolve) => (finish = resolve),
  );
  const controller = await new Watch(config).watch(
    clustersPath,
    query,
    (type, object) => {
      events.push({ type, object: object as Received['object'] });
      for (const waiter of waiters.filter((entry) => events.length >= entry.count))
        waiter.resolve();
    },
    (error: unknown) => finish(error === null || error === undefined ? null : (error as Error)),
  );
  return {
    events,
    done,
    abort: () => controller.abort(),
    waitFor: (count) =>
      new Promise((resolve, reject) => {
        if (events.length >= count) return resolve(events.slice());
        const timer = setTimeout(
          () => reject(new Error(`only ${events.length} events: ${JSON.stringify(events)}`)),
          10_000,
        );
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve(events.slice())) });
      }),
  };
}

const summary = (events: Received[]): string[] =>
  events.map((event) => `${event.type} ${event.object.metadata?.name ?? ''}`);

describe('watching through client-node', () => {
  it('starts from "0" with the current objects as ADDED, then streams changes', async () => {
    const { store, config } = await start();
    store.create(clusters, cluster('a'));
    const watch = await openWatch(config, { resourceVersion: '0' });
    await watch.waitFor(1);
    store.create(clusters, cluster('b'));
    expect(summary(await watch.waitFor(2))).toEqual(['ADDED a', 'ADDED b']);
    watch.abort();
  });

  it('resumes from the last resourceVersion seen without losing or repeating events', async () => {
    const { store, config } = await start();
    store.create(clusters, cluster('a'));
    store.create(clusters, cluster('b'));
    const listed = store.list(clusters, { namespace: 'db' });

    const first = await openWatch(config, { resourceVersion: listed.resourceVersion });
    store.create(clusters, cluster('c'));
    const a = store.get(clusters, 'db', 'a') as KubeObject;
    store.update(clusters, { ...a, spec: { instances: 2 } });
    const seen = await first.waitFor(2);
    first.abort();
    await first.done;

    store.create(clusters, cluster('d'));
    store.delete(clusters, 'db', 'b');
    const lastSeen = seen.at(-1)?.object.metadata.resourceVersion ?? '';
    const second = await openWatch(config, { resourceVersion: lastSeen });
    const resumed = await second.waitFor(2);
    second.abort();

    expect(summary(seen)).toEqual(['ADDED c', 'MODIFIED a']);
    expect(summary(resumed)).toEqual(['ADDED d', 'DELETED b']);
  });

  it('sends bookmarks carrying only the current resourceVersion when allowed', async () => {
    const { store, config } = await start();
    const watch = await openWatch(config, { resourceVersion: '0', allowWatchBookmarks: true });
    const [bookmark] = await watch.waitFor(1);
    watch.abort();
    expect(bookmark).toEqual({
      type: 'BOOKMARK',
      object: {
        kind: 'Cluster',
        apiVersion: 'postgresql.cnpg.io/v1',
        metadata: { resourceVersion: String(store.currentResourceVersion()) },
      },
    });
  });

  it('sends no bookmarks unless asked', async () => {
    const { store, config } = await start();
    const watch = await openWatch(config, { resourceVersion: '0' });
    await new Promise((resolve) => setTimeout(resolve, 350));
    store.create(clusters, cluster('a'));
    expect(summary(await watch.waitFor(1))).toEqual(['ADDED a']);
    watch.abort();
  });

  it('answers a too old resourceVersion with an ERROR event holding a 410 Status', async () => {
    const { store, config } = await start({ historyLimit: 2 });
    for (const name of ['a', 'b', 'c', 'd']) store.create(clusters, cluster(name));
    const watch = await openWatch(config, { resourceVersion: '2' });
    const [event] = await watch.waitFor(1);
    expect(event?.type).toBe('ERROR');
    expect(event?.object).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
    expect(await watch.done).toBeNull();
  });

  it('answers HTTP 410 to the next watch when that fault is set', async () => {
    const { store, config } = await start();
    server?.faults.nextWatchGone();
    const watch = await openWatch(config, { resourceVersion: '0' });
    expect((await watch.done)?.statusCode).toBe(410);

    const next = await openWatch(config, { resourceVersion: '0' });
    store.create(clusters, cluster('after'));
    expect(summary(await next.waitFor(1))).toEqual(['ADDED after']);
    next.abort();
  });

  it('sends a 410 ERROR event into open streams and closes them on goneInStream', async () => {
    const { store, config } = await start();
    const watch = await openWatch(config, {
      resourceVersion: String(store.currentResourceVersion()),
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    server?.faults.goneInStream();
    const [event] = await watch.waitFor(1);
    expect(event?.object).toMatchObject({ kind: 'Status', code: 410 });
    expect(await watch.done).toBeNull();
  });

  it('keeps stalled streams silent and delivers what was held back once released', async () => {
    const { store, config } = await start();
    const watch = await openWatch(config, { resourceVersion: '0', allowWatchBookmarks: true });
    await watch.waitFor(1);
    server?.faults.stallWatches(true);
    const before = watch.events.length;
    store.create(clusters, cluster('held'));
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(watch.events.length).toBe(before);

    server?.faults.stallWatches(false);
    const after = await watch.waitFor(before + 1);
    expect(summary(after.filter((event) => event.type !== 'BOOKMARK'))).toEqual(['ADDED held']);
    watch.abort();
  });

  it('ends the stream after timeoutSeconds', async () => {
    const { config } = await start();
    const watch = await openWatch(config, { resourceVersion: '0', timeoutSeconds: 1 });
    expect(await watch.done).toBeNull();
  });

  it('filters by label and reports objects leaving the selection as DELETED', async () => {
    const { store, config } = await start();
    const watch = await openWatch(config, { resourceVersion: '0', labelSelector: 'tier=gold' });
    const gold = store.create(clusters, cluster('gold', { tier: 'gold' }));
    store.create(clusters, cluster('silver', { tier: 'silver' }));
    store.update(clusters, { ...gold, metadata: { ...gold.metadata, labels: { tier: 'bronze' } } });
    expect(summary(await watch.waitFor(2))).toEqual(['ADDED gold', 'DELETED gold']);
    watch.abort();
  });

  it('watches a single object when the path names it', async () => {
    const { store, config } = await start();
    const events: string[] = [];
    const controller = await new Watch(config).watch(
      `${clustersPath}/solo`,
      { resourceVersion: String(store.currentResourceVersion()) },
      (type, object: KubeObject) => events.push(`${type} ${object.metadata.name}`),
      () => undefined,
    );
    store.create(clusters, cluster('other'));
    store.create(clusters, cluster('solo'));
    await expect.poll(() => events).toEqual(['ADDED solo']);
    controller.abort();
  });

  it('ends every open stream on closeAllWatches', async () => {
    const { config } = await start();
    const watch = await openWatch(config, { resourceVersion: '0' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    server?.faults.closeAllWatches();
    expect(await watch.done).toBeNull();
  });
});

describe('paginated lists through client-node', () => {
  it('serve every page from the first page snapshot while objects change', async () => {
    const { store, config } = await start();
    const names = Array.from({ length: 25 }, (_, index) => `c-${String(index).padStart(2, '0')}`);
    for (const name of names) store.create(clusters, cluster(name));
    const api = config.makeApiClient(CustomObjectsApi);
    const request = {
      group: 'postgresql.cnpg.io',
      version: 'v1',
      namespace: 'db',
      plural: 'clusters',
      limit: 10,
    };

    type Page = { metadata: { resourceVersion: string; continue?: string }; items: KubeObject[] };
    const pages: Page[] = [(await api.listNamespacedCustomObject(request)) as Page];
    store.delete(clusters, 'db', 'c-15');
    store.create(clusters, cluster('c-99'));
    while (pages.at(-1)?.metadata.continue !== undefined) {
      const token = pages.at(-1)?.metadata.continue ?? '';
      pages.push((await api.listNamespacedCustomObject({ ...request, _continue: token })) as Page);
      store.create(clusters, cluster(`late-${pages.length}`));
    }

    expect(pages.map((page) => page.items.length)).toEqual([10, 10, 5]);
    expect(pages.flatMap((page) => page.items.map((item) => item.metadata.name))).toEqual(names);
    expect(new Set(pages.map((page) => page.metadata.resourceVersion)).size).toBe(1);
  });

  it('answer 410 Expired for a continue token older than the history', async () => {
    const { store, config } = await start({ historyLimit: 3 });
    for (const name of ['a', 'b', 'c']) store.create(clusters, cluster(name));
    const api = config.makeApiClient(CustomObjectsApi);
    const request = {
      group: 'postgresql.cnpg.io',
      version: 'v1',
      namespace: 'db',
      plural: 'clusters',
      limit: 1,
    };
    const first = (await api.listNamespacedCustomObject(request)) as {
      metadata: { continue: string };
    };
    for (const name of ['d', 'e', 'f', 'g']) store.create(clusters, cluster(name));
    await expect(
      api.listNamespacedCustomObject({ ...request, _continue: first.metadata.continue }),
    ).rejects.toMatchObject({
      code: 410,
    });
  });
});
