// GET /api/clusters/{ns}/{name}/restore-status while the sandbox's operator
// drives restored clusters to ready or to failure, and racing restores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestorePhase, RestoreResponse, RestoreStatusResponse } from '../../src/contract/api';
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

beforeAll(async () => {
  harness = await startHarness({ namespaces: ['team-a', 'team-b', 'team-c'] });
  backups = await seedRestoreSources(harness);
}, 240_000);

afterAll(async () => {
  await harness?.close();
});

function restore(cluster: string, body: object) {
  return harness.app.inject({
    method: 'POST',
    url: `/api/clusters/team-a/${cluster}/restore`,
    payload: body,
  });
}

async function status(namespace: string, name: string) {
  const response = await harness.app.inject({
    method: 'GET',
    url: `/api/clusters/${namespace}/${name}/restore-status`,
  });
  return {
    code: response.statusCode,
    body: response.json<RestoreStatusResponse & { error?: string }>(),
  };
}

/** Polls restore-status until `phase`, returning every phase seen on the way. */
async function followUntil(key: { namespace: string; name: string }, phase: RestorePhase) {
  const seen: RestorePhase[] = [];
  const last = await eventually(`restore ${key.name} to be ${phase}`, async () => {
    const { code, body } = await status(key.namespace, key.name);
    if (code !== 200) return undefined;
    if (seen.at(-1) !== body.status.phase) seen.push(body.status.phase);
    return body.status.phase === phase ? body : undefined;
  });
  return { seen, last };
}

describe('restore status', () => {
  it('follows a restore from bootstrapping to ready, dated by the Cluster record', async () => {
    const created = await restore('alpha', {
      backupName: backups.inTree[0].metadata.name,
      targetNamespace: 'team-b',
      targetName: 'alpha-restore',
    });
    expect(created.statusCode).toBe(201);

    const { seen, last } = await followUntil(
      { namespace: 'team-b', name: 'alpha-restore' },
      'ready',
    );
    const order: RestorePhase[] = ['bootstrapping', 'recovering', 'ready'];
    expect(seen).toEqual(order.filter((phase) => seen.includes(phase)));

    const cluster = harness.get('clusters', 'team-b', 'alpha-restore')!;
    const conditions = cluster.status?.conditions as { type: string; lastTransitionTime: string }[];
    const readyAt = conditions.find((c) => c.type === 'Ready')?.lastTransitionTime;
    expect(last.cluster).toEqual({
      namespace: 'team-b',
      name: 'alpha-restore',
      desiredInstances: 3,
      readyInstances: 3,
    });
    expect(last.status).toMatchObject({
      phase: 'ready',
      message: 'cluster is ready',
      timestamps: {
        bootstrappingStartedAt: cluster.metadata.creationTimestamp,
        readyAt,
        lastTransitionAt: readyAt,
      },
    });
    expect(last.source).toEqual({
      namespace: 'team-a',
      name: 'alpha',
      backupName: backups.inTree[0].metadata.name,
    });
  }, 120_000);

  it('reports a restore that cannot find its archive as failed', async () => {
    const created = await restore('gamma', {
      backupName: backups.plugin[0].metadata.name,
      targetNamespace: 'team-c',
      targetName: 'gamma-restore',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json<RestoreResponse>().warnings).toContain(
      'the Barman Cloud ObjectStore "minio-store" must exist in namespace ' +
        '"team-c" with the same configuration as in "team-a", together ' +
        'with the credentials it references',
    );

    const { last } = await followUntil({ namespace: 'team-c', name: 'gamma-restore' }, 'failed');
    expect(last.status.phaseReason).toBe('restore error');
    expect(last.status.error).toMatch(/^Cluster is unrecoverable and needs manual intervention/);
    expect(last.status.timestamps.failedAt).toEqual(expect.any(String));
  }, 120_000);

  it('answers 404 for a cluster that was not restored from a backup', async () => {
    expect(await status('team-a', 'plain')).toEqual({
      code: 404,
      body: {
        error:
          'cluster "plain" in namespace "team-a" was not bootstrapped from ' +
          'a backup, so it has no restore status',
      },
    });
  });

  it('answers 404 for a missing cluster', async () => {
    expect(await status('team-b', 'missing')).toEqual({
      code: 404,
      body: { error: 'cluster "missing" in namespace "team-b" not found' },
    });
  });
});

describe('racing restores', () => {
  it('create exactly one cluster out of 20 identical requests; the rest get 409', async () => {
    const body = {
      backupName: backups.inTree[1].metadata.name,
      targetNamespace: 'team-b',
      targetName: 'alpha-race',
    };
    const responses = await Promise.all(Array.from({ length: 20 }, () => restore('alpha', body)));
    const codes = responses.map((response) => response.statusCode).sort();
    expect(codes).toEqual([201, ...Array.from({ length: 19 }, () => 409)]);
    for (const response of responses.filter((r) => r.statusCode === 409)) {
      expect(response.json()).toEqual({
        error: 'cluster "alpha-race" in namespace "team-b" already exists',
      });
    }
    expect(
      harness.list('clusters', 'team-b').filter((c) => c.metadata.name === 'alpha-race'),
    ).toHaveLength(1);
  });
});
