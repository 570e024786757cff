// POST and GET /api/clusters/{ns}/{name}/restore against the sandbox: each
// backup method into the same and another namespace, latest and point in
// time, creating the right Cluster (refusals: restore-refusals.test.ts).
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestoreResponse } from '../../src/contract/api';
import {
  nameOf,
  seedRestoreSources,
  stoppedAt,
  targetNames,
  type SeededBackups,
} from '../../src/server/actions/testing/restore-seed';
import {
  captureLogs,
  startHarness,
  type Harness,
} from '../../src/server/actions/testing/sandbox-harness';

let harness: Harness;
const { logger, lines: logLines } = captureLogs();
let backups: SeededBackups;
const uniqueTarget = targetNames('restore');

function restore(body: unknown, options: { cluster?: string; query?: string } = {}) {
  return harness.app.inject({
    method: 'POST',
    url: `/api/clusters/team-a/${options.cluster ?? 'alpha'}/restore${options.query ?? ''}`,
    payload: body as object,
  });
}

beforeAll(async () => {
  harness = await startHarness({ namespaces: ['team-a', 'team-b'], logger });
  backups = await seedRestoreSources(harness);
}, 240_000);

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

    expect(logLines.find((line) => line.targetCluster === targetName)).toMatchObject({
      level: 30,
      msg: 'restore cluster created',
      sourceNamespace: 'team-a',
      sourceCluster: testCase.cluster,
      backup: body.backupName,
      targetNamespace: testCase.targetNamespace,
    });
    expect(JSON.stringify(logLines)).not.toMatch(/ACCESS_KEY_ID|minio:9000/);

    const preview = parse(result.yamlPreview) as { metadata: { name: string }; spec: object };
    expect(preview.metadata.name).toBe(targetName);
    expect(result.yamlPreview).not.toMatch(/ACCESS_KEY_ID|minio:9000|name: minio\n/);
  });
});

describe('a restore dry run', () => {
  it('is validated by the API server and answers 200, creating nothing', async () => {
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
