// POST and GET /api/clusters/{ns}/{name}/restore against the sandbox: each
// backup method into the same and another namespace, latest and point in
// time, either creating the right Cluster or refusing with the contract's
// status and text.
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestoreResponse } from '../../src/contract/api';
import { buildApp } from '../../src/server/api/app';
import { registerActionRoutes } from '../../src/server/api/routes/actions';
import {
  seedRestoreSources,
  type SeededBackups,
} from '../../src/server/actions/testing/restore-seed';
import {
  eventually,
  startHarness,
  type Harness,
} from '../../src/server/actions/testing/sandbox-harness';

let harness: Harness;
let backups: SeededBackups;
let nameCounter = 0;

function nameOf(object: { metadata: { name: string } }): string {
  return object.metadata.name;
}

function stoppedAt(object: { status?: Record<string, unknown> }): string {
  return String(object.status?.stoppedAt);
}

function uniqueTarget(): string {
  nameCounter += 1;
  return `restore-${nameCounter}`;
}

function restore(body: unknown, options: { cluster?: string; query?: string } = {}) {
  return harness.app.inject({
    method: 'POST',
    url: `/api/clusters/team-a/${options.cluster ?? 'alpha'}/restore${options.query ?? ''}`,
    payload: body as object,
  });
}

beforeAll(async () => {
  harness = await startHarness({ namespaces: ['team-a', 'team-b'] });
  backups = await seedRestoreSources(harness);
}, 60_000);

afterAll(async () => {
  await harness?.close();
});

interface Case {
  title: string;
  cluster: 'alpha' | 'gamma';
  backup: () => { metadata: { name: string } };
  targetNamespace: 'team-a' | 'team-b';
  pitr?: () => string;
  expectSpec: (spec: Record<string, unknown>, backupName: string) => void;
}

const inTreeOld = () => backups.inTree[0];
const pluginOld = () => backups.plugin[0];

const cases: Case[] = [
  {
    title: 'an in-tree backup into its own namespace by name',
    cluster: 'alpha',
    backup: inTreeOld,
    targetNamespace: 'team-a',
    expectSpec: (spec, backupName) =>
      expect(spec.bootstrap).toEqual({ recovery: { backup: { name: backupName } } }),
  },
  {
    title: 'an in-tree backup into another namespace through the object store',
    cluster: 'alpha',
    backup: inTreeOld,
    targetNamespace: 'team-b',
    expectSpec: (spec) => {
      expect(spec.bootstrap).toMatchObject({ recovery: { source: 'alpha' } });
      expect(spec.externalClusters).toMatchObject([
        {
          name: 'alpha',
          barmanObjectStore: { destinationPath: 's3://backups/', serverName: 'alpha' },
        },
      ]);
    },
  },
  {
    title: 'an in-tree backup to a point in time in its own namespace',
    cluster: 'alpha',
    backup: inTreeOld,
    targetNamespace: 'team-a',
    pitr: () => stoppedAt(backups.inTree[1]),
    expectSpec: (spec, backupName) =>
      expect(spec.bootstrap).toEqual({
        recovery: {
          backup: { name: backupName },
          recoveryTarget: { targetTime: stoppedAt(backups.inTree[1]) },
        },
      }),
  },
  {
    title: 'an in-tree backup to a point in time in another namespace',
    cluster: 'alpha',
    backup: inTreeOld,
    targetNamespace: 'team-b',
    pitr: () => stoppedAt(backups.inTree[1]),
    expectSpec: (spec) =>
      expect(spec.bootstrap).toEqual({
        recovery: {
          source: 'alpha',
          recoveryTarget: {
            backupID: String(backups.inTree[0].status?.backupId),
            targetTime: stoppedAt(backups.inTree[1]),
          },
        },
      }),
  },
  ...(['team-a', 'team-b'] as const).map((targetNamespace): Case => ({
    title: `a plugin backup into ${targetNamespace}`,
    cluster: 'gamma',
    backup: pluginOld,
    targetNamespace,
    expectSpec: (spec) =>
      expect(spec.externalClusters).toMatchObject([
        {
          name: 'gamma',
          plugin: {
            name: 'barman-cloud.cloudnative-pg.io',
            parameters: { barmanObjectName: 'minio-store', serverName: 'gamma' },
          },
        },
      ]),
  })),
  ...(['team-a', 'team-b'] as const).map((targetNamespace): Case => ({
    title: `a plugin backup to a point in time into ${targetNamespace}`,
    cluster: 'gamma',
    backup: pluginOld,
    targetNamespace,
    pitr: () => stoppedAt(backups.plugin[1]),
    expectSpec: (spec) =>
      expect(spec.bootstrap).toMatchObject({
        recovery: { source: 'gamma', recoveryTarget: { targetTime: stoppedAt(backups.plugin[1]) } },
      }),
  })),
  {
    title: 'a volume snapshot backup into its own namespace',
    cluster: 'alpha',
    backup: () => backups.snapshot,
    targetNamespace: 'team-a',
    expectSpec: (spec) =>
      expect(spec.bootstrap).toEqual({ recovery: { backup: { name: nameOf(backups.snapshot) } } }),
  },
];

describe.each(cases)('restoring $title', (testCase) => {
  it('creates the target Cluster, answers 201, and shows what it created', async () => {
    const targetName = uniqueTarget();
    const body: Record<string, string> = {
      backupName: nameOf(testCase.backup()),
      targetNamespace: testCase.targetNamespace,
      targetName,
    };
    if (testCase.pitr !== undefined) body.pitrTargetTime = testCase.pitr();
    const response = await restore(body, { cluster: testCase.cluster });
    expect(response.statusCode, response.body).toBe(201);

    const result = response.json<RestoreResponse>();
    expect(result.targetCluster).toEqual({
      namespace: testCase.targetNamespace,
      name: targetName,
      desiredInstances: 3,
      readyInstances: 0,
    });
    expect(result.backup.name).toBe(body.backupName);
    expect(result.restoreStatus).toMatchObject({
      phase: 'bootstrapping',
      phaseReason: 'create accepted',
    });
    expect(result.warnings?.[0]).toContain('WAL archiving and backups are not configured');

    const created = harness.get('clusters', testCase.targetNamespace, targetName);
    expect(created?.metadata.labels).toMatchObject({ 'deckhand.io/restored-by': 'deckhand' });
    expect(created?.metadata.annotations).toMatchObject({
      'deckhand.io/restore-source-cluster': testCase.cluster,
      'deckhand.io/restore-source-namespace': 'team-a',
      'deckhand.io/restore-backup': body.backupName,
    });
    expect(created?.spec?.backup).toBeUndefined();
    expect(created?.spec?.plugins ?? []).toEqual([]);
    testCase.expectSpec(created?.spec ?? {}, body.backupName!);

    const preview = parse(result.yamlPreview) as { metadata: { name: string }; spec: object };
    expect(preview.metadata.name).toBe(targetName);
    expect(result.yamlPreview).not.toMatch(/ACCESS_KEY_ID|minio:9000|name: minio\n/);
  });
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
      'targetNamespace must be a lowercase RFC 1123 label (a-z, 0-9 and "-", at most 63 characters)',
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
      error: `volumeSnapshot backup "${nameOf(backups.snapshot)}" can only be restored in its own namespace "team-a"`,
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
        `^pitrTargetTime ${after} is outside the recoverability window \\(.+ to ${stoppedAt(newest)}\\)$`,
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
        'cluster "plain" in namespace "team-a" does not advertise point-in-time recovery data for barmanObjectStore backups',
    });
  });

  it('answers 409 when the target already exists, from the API server as well as the cache', async () => {
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

describe('a restore dry run', () => {
  it('validates with the API server, answers 200 with the same payload, and creates nothing', async () => {
    const targetName = uniqueTarget();
    const body = { backupName: nameOf(backups.inTree[0]), targetNamespace: 'team-b', targetName };
    const response = await restore(body, { query: '?dryRun=true' });
    expect(response.statusCode).toBe(200);
    const result = response.json<RestoreResponse>();
    expect(result.dryRun).toBe(true);
    expect(result.restoreStatus.phaseReason).toBe('dry run');
    expect(result.yamlPreview).toContain(`name: ${targetName}`);
    expect(harness.get('clusters', 'team-b', targetName)).toBeUndefined();
  });

  it('refuses a dryRun value other than true or false', async () => {
    const response = await restore({}, { query: '?dryRun=yes' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'dryRun must be true or false' });
  });
});

describe('the restore options of a cluster', () => {
  it('lists completed backups first, newest first, with the window and phases', async () => {
    const response = await harness.app.inject({
      method: 'GET',
      url: '/api/clusters/team-a/alpha/restore',
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    const names = body.backups.map((backup: { name: string }) => backup.name);
    expect(names.at(-1)).toBe('alpha-failed');
    expect(names.indexOf(nameOf(backups.inTree[1]))).toBeLessThan(
      names.indexOf(nameOf(backups.inTree[0])),
    );
    expect(body.recoverabilityByMethod.barmanObjectStore).toEqual({
      start: stoppedAt(backups.inTree[0]),
      end: stoppedAt(backups.inTree[1]),
    });
    expect(body.supportedPhases).toEqual(['bootstrapping', 'recovering', 'ready', 'failed']);
  });

  it('reads a plugin cluster window from its ObjectStore', async () => {
    const response = await harness.app.inject({
      method: 'GET',
      url: '/api/clusters/team-a/gamma/restore',
    });
    expect(response.json().recoverability).toEqual({
      start: stoppedAt(backups.plugin[0]),
      end: stoppedAt(backups.plugin[1]),
    });
  });

  it('answers 404 for a missing cluster', async () => {
    const response = await harness.app.inject({
      method: 'GET',
      url: '/api/clusters/team-a/missing/restore',
    });
    expect(response.statusCode).toBe(404);
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
