// POST /api/clusters/{ns}/{name}/restore against the sandbox: every refusal
// the contract promises, with its status and text, and nothing created.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/api/app';
import { registerActionRoutes } from '../../src/server/api/routes/actions';
import {
  nameOf,
  seedRestoreSources,
  stoppedAt,
  targetNames,
  type SeededBackups,
} from '../../src/server/actions/testing/restore-seed';
import {
  eventually,
  startHarness,
  type Harness,
} from '../../src/server/actions/testing/sandbox-harness';

let harness: Harness;
let backups: SeededBackups;
const uniqueTarget = targetNames('refused');

function restore(body: unknown, options: { cluster?: string } = {}) {
  return harness.app.inject({
    method: 'POST',
    url: `/api/clusters/team-a/${options.cluster ?? 'alpha'}/restore`,
    payload: body as object,
  });
}

beforeAll(async () => {
  harness = await startHarness({ namespaces: ['team-a', 'team-b'] });
  backups = await seedRestoreSources(harness);
}, 240_000);

afterAll(async () => {
  await harness?.close();
});

describe('refusing a restore', () => {
  const latest = () => ({
    backupName: nameOf(backups.inTree[0]),
    targetNamespace: 'team-b',
    targetName: uniqueTarget(),
  });

  it.each([
    [{}, 'backupName is required'],
    [{ backupName: 'x' }, 'targetNamespace is required'],
    [{ backupName: 'x', targetNamespace: 'team-b' }, 'targetName is required'],
    [
      { backupName: 'x', targetNamespace: 'Team-B', targetName: 'y' },
      'targetNamespace must be a lowercase RFC 1123 label (a-z, 0-9 ' +
        'and "-", at most 63 characters)',
    ],
    [
      { backupName: 'x', targetNamespace: 'team-b', targetName: 'y_z' },
      'targetName must be a lowercase RFC 1123 label (a-z, 0-9 and "-", at most 63 characters)',
    ],
    [
      { backupName: 'x', targetNamespace: 'team-a', targetName: 'alpha' },
      'the restore target must not overwrite the source cluster "alpha" in namespace "team-a"',
    ],
    [
      { backupName: 'x', targetNamespace: 'team-b', targetName: 'y', image: 'evil:latest' },
      'unknown field "image"',
    ],
  ])('answers 400 for %j', async (body, error) => {
    const response = await restore(body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error });
  });

  it('answers 404 for a missing source cluster', async () => {
    const response = await restore(latest(), { cluster: 'missing' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: 'cluster "missing" in namespace "team-a" not found' });
  });

  it('answers 404 for a missing backup', async () => {
    const response = await restore({ ...latest(), backupName: 'nope' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: 'backup "nope" in namespace "team-a" not found' });
  });

  it('answers 409 for a backup that did not complete', async () => {
    const response = await restore({ ...latest(), backupName: 'alpha-failed' });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({
      error: 'backup "alpha-failed" in namespace "team-a" is not completed (phase "failed")',
    });
  });

  it('answers 400 for a backup of another cluster', async () => {
    const response = await restore({ ...latest(), backupName: nameOf(backups.plugin[0]) });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe(
      `backup "${nameOf(backups.plugin[0])}" belongs to cluster "gamma", not "alpha"`,
    );
  });

  it('answers 400 for a volume snapshot backup into another namespace', async () => {
    const response = await restore({ ...latest(), backupName: nameOf(backups.snapshot) });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error:
        `volumeSnapshot backup "${nameOf(backups.snapshot)}" can only ` +
        `be restored in its own namespace "team-a"`,
    });
  });

  it.each(['team-a', 'team-b'])(
    'answers 400 for a volume snapshot backup to a point in time (%s)',
    async (ns) => {
      const body = {
        ...latest(),
        targetNamespace: ns,
        backupName: nameOf(backups.snapshot),
        pitrTargetTime: stoppedAt(backups.snapshot),
      };
      const response = await restore(body);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({
        error: 'point-in-time restore is not supported for volumeSnapshot backups',
      });
    },
  );

  it('answers 400 for a point in time that is not RFC 3339', async () => {
    const response = await restore({ ...latest(), pitrTargetTime: '24/03/2026 11:15' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: 'pitrTargetTime must be an RFC 3339 timestamp, for example 2026-03-24T11:15:00Z',
    });
  });

  it.each([
    ['alpha', () => backups.inTree],
    ['gamma', () => backups.plugin],
  ] as const)('answers 400 for a point in time after the window of %s', async (cluster, pick) => {
    const [oldest, newest] = pick();
    const after = new Date(Date.parse(stoppedAt(newest)) + 3_600_000)
      .toISOString()
      .replace('.000', '');
    const body = {
      backupName: nameOf(oldest),
      targetNamespace: 'team-b',
      targetName: uniqueTarget(),
      pitrTargetTime: after,
    };
    const response = await restore(body, { cluster });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatch(
      new RegExp(
        `^pitrTargetTime ${after} is outside the recoverability window ` +
          `\\(.+ to ${stoppedAt(newest)}\\)$`,
      ),
    );
  });

  it('answers 409 for a point in time when the source advertises no window', async () => {
    harness.apply({
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Backup',
      metadata: { namespace: 'team-a', name: 'plain-imported' },
      spec: { cluster: { name: 'plain' } },
    });
    const resource = harness.sandbox.store.resourceFor('postgresql.cnpg.io', 'backups')!;
    const failed = await eventually('the plain backup to fail', () => {
      const backup = harness.get('backups', 'team-a', 'plain-imported');
      return backup?.status?.phase === 'failed' ? backup : undefined;
    });
    harness.sandbox.store.update(
      resource,
      {
        ...failed,
        status: { ...failed.status, phase: 'completed', stoppedAt: '2026-03-24T11:05:00Z' },
      },
      { subresource: 'status' },
    );
    const body = {
      backupName: 'plain-imported',
      targetNamespace: 'team-b',
      targetName: uniqueTarget(),
      pitrTargetTime: '2026-03-24T11:15:00Z',
    };
    const response = await restore(body, { cluster: 'plain' });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({
      error:
        'cluster "plain" in namespace "team-a" does not advertise point-in-time ' +
        'recovery data for barmanObjectStore backups',
    });
  });

  it('answers 409 for an existing target, from the API server as well as the cache', async () => {
    const body = latest();
    expect((await restore(body)).statusCode).toBe(201);
    const second = await restore(body);
    expect(second.statusCode).toBe(409);
    expect(second.json()).toEqual({
      error: `cluster "${body.targetName}" in namespace "team-b" already exists`,
    });

    const blindStore = { ...harness.deps, store: withoutClusters(harness) };
    const blind = await buildApp(blindStore, {
      webRoot: '/nonexistent-web-root',
      routeModules: [registerActionRoutes],
    });
    const third = await blind.inject({
      method: 'POST',
      url: '/api/clusters/team-a/alpha/restore',
      payload: body,
    });
    await blind.close();
    expect(third.statusCode).toBe(409);
    expect(third.json()).toEqual({
      error: `cluster "${body.targetName}" in namespace "team-b" already exists`,
    });
  });

  it('answers 404 for a target namespace that does not exist', async () => {
    const response = await restore({ ...latest(), targetNamespace: 'team-z' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: 'namespace "team-z" not found' });
  });

  it('answers 503 in read-only mode', async () => {
    const readOnly = await buildApp(
      { ...harness.deps, isReadOnly: true },
      { webRoot: '/nonexistent-web-root', routeModules: [registerActionRoutes] },
    );
    const response = await readOnly.inject({
      method: 'POST',
      url: '/api/clusters/team-a/alpha/restore',
      payload: latest(),
    });
    await readOnly.close();
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ error: 'restore creation is not configured' });
  });
});

/** The real store, except that it has never seen any Cluster in team-b. */
function withoutClusters(h: Harness) {
  const store = h.store;
  return {
    get revision() {
      return store.revision;
    },
    get: ((kind, namespace, name) =>
      kind === 'clusters' && namespace === 'team-b'
        ? undefined
        : store.get(kind, namespace, name)) as typeof store.get,
    list: store.list.bind(store),
    listByCluster: store.listByCluster.bind(store),
    onChange: store.onChange.bind(store),
    kindStatuses: store.kindStatuses.bind(store),
  };
}
