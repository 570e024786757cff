import { afterEach, describe, expect, it } from 'vitest';
import { Reflector } from '../../src/server/kube/reflector';
import { startReflectors, type RunningReflectors } from '../../src/server/kube/informers';
import { kubeTransport } from '../../src/server/kube/transport';
import { WATCHED_RESOURCES } from '../../src/server/kube/resources';
import type { ReflectorClock } from '../../src/server/kube/clock';
import { Store } from '../../src/server/store/store';
import { rawBackup } from './store-fixtures';
import {
  captureLogger,
  eventually,
  FakeApiServer,
  kubeConfigFor,
  listOf,
} from './reflector-fake-server';

const CLUSTERS = '/apis/postgresql.cnpg.io/v1/clusters';
const BACKUPS = '/apis/postgresql.cnpg.io/v1/backups';
const OBJECT_STORES = '/apis/barmancloud.cnpg.io/v1/objectstores';
/** Timers this long are the silence detector's, which these tests never let fire. */
const NEVER_MS = 1e9;

/** A clock that records each backoff delay and fires it at once, with a settable `now`. */
function recordingClock(): ReflectorClock & { delays: number[]; advance(ms: number): void } {
  let now = 1_000_000;
  const delays: number[] = [];
  return {
    delays,
    advance: (ms) => (now += ms),
    now: () => now,
    random: () => Math.random(),
    setTimeout: (callback, ms) => {
      if (ms >= NEVER_MS) return undefined;
      delays.push(ms);
      return setTimeout(callback, 0);
    },
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
}

let server: FakeApiServer;
let running: { stop(): Promise<void> } | undefined;

afterEach(async () => {
  await running?.stop();
  running = undefined;
  await server.close();
});

async function startClusterReflector(clock: ReflectorClock) {
  const url = await server.start();
  const reflector = new Reflector({
    resource: WATCHED_RESOURCES.find((item) => item.kind === 'clusters')!,
    transport: kubeTransport(kubeConfigFor(url)),
    store: new Store(),
    logger: captureLogger().logger,
    clock,
    silenceTimeoutMs: NEVER_MS,
  });
  reflector.start();
  running = reflector;
  return reflector;
}

describe('Reflector backoff', () => {
  it('backs off 0.8 s, 1.6 s, 3.2 s ... up to 30 s, each within ±20 %, while the API server fails', async () => {
    server = new FakeApiServer().on(() => ({ status: 503 }));
    const clock = recordingClock();

    await startClusterReflector(clock);
    await eventually(() => clock.delays.length >= 9);

    const nominal = [800, 1600, 3200, 6400, 12_800, 25_600, 30_000, 30_000, 30_000];
    clock.delays.slice(0, 9).forEach((delay, index) => {
      expect(delay).toBeGreaterThanOrEqual(nominal[index]! * 0.8);
      expect(delay).toBeLessThanOrEqual(nominal[index]! * 1.2);
    });
  });

  it('waits as long as Retry-After asks on 429', async () => {
    server = new FakeApiServer().on(() => ({ status: 429, headers: { 'retry-after': '7' } }));
    const clock = recordingClock();

    await startClusterReflector(clock);
    await eventually(() => clock.delays.length >= 1);

    expect(clock.delays[0]).toBe(7000);
  });

  it('starts the backoff over after a watch stayed connected for a healthy period', async () => {
    let failures = 3;
    server = new FakeApiServer()
      .on((request) =>
        request.isWatch && server.seen(CLUSTERS, 'watch').length === 1
          ? { lines: [], keepOpen: true }
          : undefined,
      )
      .on((request) =>
        request.isWatch && server.seen(CLUSTERS, 'watch').length > 1 ? { status: 500 } : undefined,
      )
      .on((request) => {
        if (request.isWatch) return undefined;
        failures -= 1;
        return failures >= 0 ? { status: 500 } : { status: 200, body: listOf([], '10') };
      });
    const clock = recordingClock();

    const reflector = await startClusterReflector(clock);
    // The healthy period counts from when the reflector saw the stream open,
    // not from when the server saw the request.
    await eventually(() => reflector.isConnected);
    clock.advance(61_000);
    server.endOpenStreams();
    await eventually(() => clock.delays.length >= 4);

    expect(clock.delays[2]).toBeGreaterThanOrEqual(3200 * 0.8);
    expect(clock.delays[3]).toBeLessThanOrEqual(800 * 1.2);
  });
});

describe('Reflectors with a forbidden or missing resource', () => {
  it('degrades only the forbidden kind, treats a missing optional CRD as empty, and syncs the rest', async () => {
    server = new FakeApiServer()
      .on((request) =>
        request.path === CLUSTERS
          ? { status: 403, body: { kind: 'Status', code: 403, message: 'clusters is forbidden' } }
          : undefined,
      )
      .on((request) => (request.path === OBJECT_STORES ? { status: 404 } : undefined))
      .on((request) =>
        request.path === BACKUPS && request.isWatch ? { lines: [], keepOpen: true } : undefined,
      )
      .on((request) =>
        request.path === BACKUPS && !request.isWatch
          ? { status: 200, body: listOf([rawBackup('alpha-1', 'alpha')], '10') }
          : undefined,
      );
    const url = await server.start();
    const store = new Store();
    const log = captureLogger();
    const reflectors: RunningReflectors = startReflectors({
      kubeConfig: kubeConfigFor(url),
      store,
      logger: log.logger,
      resources: WATCHED_RESOURCES.filter((item) =>
        ['clusters', 'backups', 'objectstores'].includes(item.kind),
      ),
      tuning: { backoff: { initialMs: 10, maxMs: 40, factor: 2, jitter: 0.2 } },
    });
    running = reflectors;

    await eventually(
      () => server.seen(CLUSTERS, 'list').length >= 3 && server.seen(BACKUPS, 'watch').length >= 1,
    );

    const states = Object.fromEntries(reflectors.statuses().map((status) => [status.kind, status]));
    expect(states.clusters).toMatchObject({ state: 'degraded' });
    expect(states.clusters?.error).toContain('clusters is forbidden');
    expect(states.backups).toMatchObject({ state: 'synced' });
    expect(states.objectstores).toMatchObject({ state: 'synced' });
    expect(store.list('backups').map((item) => item.name)).toEqual(['alpha-1']);
    expect(
      log.entries().filter((entry) => entry.level === 40 && entry.kind === 'clusters'),
    ).toHaveLength(1);
  });
});
