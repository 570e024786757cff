import { afterEach, describe, expect, it } from 'vitest';
import { startReflectors, type RunningReflectors } from '../../src/server/kube/informers';
import { WATCHED_RESOURCES } from '../../src/server/kube/resources';
import { Store } from '../../src/server/store/store';
import { rawCluster } from './store-fixtures';
import { captureLogger, FakeApiServer, kubeConfigFor, listOf } from './reflector-fake-server';

let server: FakeApiServer;
let running: RunningReflectors | undefined;

afterEach(async () => {
  await running?.stop();
  await server.close();
});

describe('startReflectors', () => {
  it('watches each given namespace on its own path and waits for all of them to sync', async () => {
    server = new FakeApiServer()
      .on((request) => (request.isWatch ? { lines: [], keepOpen: true } : undefined))
      .on((request) => {
        const namespace = /\/namespaces\/([^/]+)\//.exec(request.path)?.[1];
        if (request.isWatch || namespace === undefined) return undefined;
        const cluster = rawCluster(`${namespace}-db`, { metadata: { namespace } });
        return { status: 200, body: listOf([cluster], '10') };
      });
    const url = await server.start();
    const store = new Store();
    running = startReflectors({
      kubeConfig: kubeConfigFor(url),
      store,
      logger: captureLogger().logger,
      namespaces: ['team-a', 'team-b'],
      resources: WATCHED_RESOURCES.filter((resource) => resource.kind === 'clusters'),
    });

    await running.waitForSync();

    expect(running.reflectors).toHaveLength(2);
    expect(
      server.requests
        .filter((request) => !request.isWatch)
        .map((request) => request.path)
        .sort(),
    ).toEqual([
      '/apis/postgresql.cnpg.io/v1/namespaces/team-a/clusters',
      '/apis/postgresql.cnpg.io/v1/namespaces/team-b/clusters',
    ]);
    expect(
      store
        .list('clusters')
        .map((cluster) => cluster.name)
        .sort(),
    ).toEqual(['team-a-db', 'team-b-db']);
    expect(running.statuses()).toEqual([
      expect.objectContaining({ kind: 'clusters', state: 'synced' }),
    ]);
    expect(running.counters().clusters).toMatchObject({ lists: 2, relists: 0 });
  });

  it('asks for pods and PVCs with the cnpg.io/cluster label selector only', async () => {
    server = new FakeApiServer()
      .on((request) => (request.isWatch ? { lines: [], keepOpen: true } : undefined))
      .on((request) => (request.isWatch ? undefined : { status: 200, body: listOf([], '10') }));
    const url = await server.start();
    running = startReflectors({
      kubeConfig: kubeConfigFor(url),
      store: new Store(),
      logger: captureLogger().logger,
    });

    await running.waitForSync();

    const selectors = Object.fromEntries(
      server.requests
        .filter((request) => !request.isWatch)
        .map((request) => [request.path, request.query.get('labelSelector')]),
    );
    expect(selectors).toEqual({
      '/apis/postgresql.cnpg.io/v1/clusters': null,
      '/apis/postgresql.cnpg.io/v1/backups': null,
      '/apis/postgresql.cnpg.io/v1/scheduledbackups': null,
      '/api/v1/pods': 'cnpg.io/cluster',
      '/api/v1/persistentvolumeclaims': 'cnpg.io/cluster',
      '/apis/barmancloud.cnpg.io/v1/objectstores': null,
    });
  });
});
