// POST /api/clusters/{ns}/{name}/backups against the sandbox: every contract
// rule and error, and the Backup objects that reach the API server.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/api/app';
import { registerActionRoutes } from '../../src/server/api/routes/actions';
import {
  captureLogs,
  eventually,
  sampleObject,
  startHarness,
  type Harness,
} from '../../src/server/actions/testing/sandbox-harness';

let harness: Harness;
const { logger, lines: logLines } = captureLogs();

function post(body: unknown, options: { cluster?: string; app?: FastifyInstance } = {}) {
  return (options.app ?? harness.app).inject({
    method: 'POST',
    url: `/api/clusters/team-a/${options.cluster ?? 'alpha'}/backups`,
    payload: body as object,
  });
}

beforeAll(async () => {
  harness = await startHarness({ logger });
  harness.apply(
    sampleObject('samples/cluster-example-with-volume-snapshot.yaml', {
      namespace: 'team-a',
      name: 'alpha',
    }),
  );
  harness.apply(
    sampleObject('plugin-barman-cloud/minio-store.yaml', {
      namespace: 'team-a',
      name: 'minio-store',
    }),
  );
  harness.apply(
    sampleObject('plugin-barman-cloud/cluster-example.yaml', {
      namespace: 'team-a',
      name: 'gamma',
    }),
  );
  harness.apply(
    sampleObject('samples/cluster-example.yaml', { namespace: 'team-a', name: 'plain' }),
  );
  await eventually('the clusters in the store', () =>
    ['alpha', 'gamma', 'plain'].every((name) => harness.store.get('clusters', 'team-a', name)),
  );
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

describe('creating an on-demand backup', () => {
  it('uses the in-tree object store by default and answers 201 with the new Backup', async () => {
    const response = await post({});
    expect(response.statusCode).toBe(201);
    const { backup } = response.json();
    expect(backup).toMatchObject({
      namespace: 'team-a',
      clusterName: 'alpha',
      phase: 'pending',
      method: 'barmanObjectStore',
      target: 'prefer-standby',
    });
    expect(backup.name).toMatch(/^alpha-manual-[a-z0-9]{5}$/);
    expect(typeof backup.createdAt).toBe('string');

    const created = harness.get('backups', 'team-a', backup.name);
    expect(created?.spec).toMatchObject({
      cluster: { name: 'alpha' },
      method: 'barmanObjectStore',
    });
    expect(created?.spec?.target).toBeUndefined();
    await eventually('the backup to complete', () => {
      const phase = harness.get('backups', 'team-a', backup.name)?.status?.phase;
      return phase === 'completed' ? phase : undefined;
    });
  });

  it('logs what it created, for which cluster, at info', async () => {
    const { backup } = (await post({ target: 'primary' })).json();
    const line = logLines.find((entry) => entry.backup === backup.name);
    expect(line).toMatchObject({
      level: 30,
      msg: 'backup created',
      namespace: 'team-a',
      cluster: 'alpha',
      method: 'barmanObjectStore',
      target: 'primary',
    });
  });

  it('creates a volume snapshot backup from the primary when asked', async () => {
    const response = await post({ method: 'volumeSnapshot', target: 'primary' });
    expect(response.statusCode).toBe(201);
    const { backup } = response.json();
    expect(backup).toMatchObject({ method: 'volumeSnapshot', target: 'primary' });
    expect(harness.get('backups', 'team-a', backup.name)?.spec).toMatchObject({
      method: 'volumeSnapshot',
      target: 'primary',
    });
  });

  it('defaults a plugin cluster to its WAL-archiver plugin', async () => {
    const response = await post(undefined, { cluster: 'gamma' });
    expect(response.statusCode).toBe(201);
    const { backup } = response.json();
    expect(backup.method).toBe('plugin');
    expect(harness.get('backups', 'team-a', backup.name)?.spec).toMatchObject({
      method: 'plugin',
      pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' },
    });
  });

  it.each([
    ['plain', {}, 'cluster "plain" in namespace "team-a" is not configured for backups'],
    [
      'alpha',
      { method: 'plugin' },
      'cluster "alpha" in namespace "team-a" is not configured for plugin backups',
    ],
    [
      'gamma',
      { method: 'volumeSnapshot' },
      'cluster "gamma" in namespace "team-a" is not configured for volumeSnapshot backups',
    ],
  ])('answers 409 for %s with %j', async (cluster, body, error) => {
    const response = await post(body, { cluster });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({ error });
  });

  it('answers 404 for a cluster Deckhand does not know', async () => {
    const response = await post({}, { cluster: 'missing' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: 'cluster "missing" in namespace "team-a" not found' });
  });

  it.each([
    [{ method: 'x' }, 'backup method "x" is not supported'],
    [{ target: 'replica' }, 'backup target "replica" is not supported'],
    [{ method: 'plugin', extra: true }, 'unknown field "extra"'],
    [{ target: 5 }, 'target must be a string'],
    [['barmanObjectStore'], 'request body must be a JSON object'],
  ])('answers 400 for %j', async (body, error) => {
    const response = await post(body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error });
  });

  it('answers 400 for a body that is not JSON at all', async () => {
    const response = await harness.app.inject({
      method: 'POST',
      url: '/api/clusters/team-a/alpha/backups',
      headers: { 'content-type': 'application/json' },
      payload: '{"method":',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'request body is not valid JSON' });
  });

  it('answers 415 for a body that is not application/json', async () => {
    const response = await harness.app.inject({
      method: 'POST',
      url: '/api/clusters/team-a/alpha/backups',
      headers: { 'content-type': 'text/plain' },
      payload: '{"method":"barmanObjectStore"}',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toEqual({ error: 'request body must be application/json' });
  });

  it('answers 413 for a body over 16 KiB', async () => {
    const response = await post({ method: 'x'.repeat(17 * 1024) });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({ error: 'request body is too large' });
  });

  it('answers 503 with Retry-After when the API server is overloaded', async () => {
    const before = harness.list('backups', 'team-a').length;
    harness.sandbox.faults.failNext({ count: 1, status: 429, retryAfterSeconds: 7 });
    const response = await post({});
    harness.sandbox.faults.reset();
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('7');
    expect(response.json().error).toMatch(/^the Kubernetes API could not create backups right now/);
    expect(harness.list('backups', 'team-a')).toHaveLength(before);
  });

  it('answers 503 in read-only mode before looking at anything', async () => {
    const readOnly = await buildApp(
      { ...harness.deps, isReadOnly: true },
      { webRoot: '/nonexistent-web-root', routeModules: [registerActionRoutes] },
    );
    const response = await post({ method: 'x' }, { app: readOnly, cluster: 'missing' });
    await readOnly.close();
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ error: 'backup creation is not configured' });
  });
});
