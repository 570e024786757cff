// Namespace deletion, `kubectl get all` and RBAC-worded faults, seen through
// the real kubectl the way it sees a real cluster.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cnpgReferenceDir,
  kubectl,
  startTestSandbox,
  waitFor,
  type TestSandbox,
} from '../support/sandbox';

let t: TestSandbox;

beforeAll(async () => {
  t = await startTestSandbox({ speed: 100 });
});

afterAll(async () => {
  await t.close();
});

function podManifest(input: { name: string; namespace: string; finalizers?: string[] }) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: input.name,
      namespace: input.namespace,
      ...(input.finalizers === undefined ? {} : { finalizers: input.finalizers }),
    },
    spec: { containers: [{ name: 'app', image: 'busybox' }] },
  };
}

function namespacedCount(kind: string, namespace: string): number {
  const resource = t.sandbox.store.resourceForKind(kind);
  if (resource === undefined) throw new Error(`the sandbox serves no ${kind}`);
  return t.sandbox.store.list(resource, { namespace }).items.length;
}

describe('deleting a namespace with kubectl', () => {
  it('waits while the namespace controller empties it, operator cluster and all', async () => {
    expect((await kubectl(t, ['create', 'namespace', 'shop'])).stdout.trim()).toBe(
      'namespace/shop created',
    );
    const sample = await readFile(
      path.join(cnpgReferenceDir(), 'samples', 'cluster-example.yaml'),
      'utf8',
    );
    await kubectl(t, ['apply', '-n', 'shop', '-f', '-'], { stdin: sample });
    await waitFor('three pods in shop', async () => {
      const pods = await kubectl(t, ['get', 'pods', '-n', 'shop', '-o', 'name']);
      return pods.stdout.trim().split('\n').length === 3 ? true : undefined;
    });

    const all = await kubectl(t, ['get', 'all', '-n', 'shop', '-o', 'name']);
    expect([all.code, all.stderr]).toEqual([0, '']);
    expect(all.stdout.trim().split('\n').sort()).toEqual([
      'pod/cluster-example-1',
      'pod/cluster-example-2',
      'pod/cluster-example-3',
    ]);

    const deleted = await kubectl(t, ['delete', 'namespace', 'shop', '--timeout=60s']);
    expect([deleted.code, deleted.stdout.trim()]).toEqual([0, 'namespace "shop" deleted']);
    const gone = await kubectl(t, ['get', 'namespace', 'shop']);
    expect(gone.stderr.trim()).toBe('Error from server (NotFound): namespaces "shop" not found');

    // The operator must not bring anything back once its cluster is gone.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(
      ['Cluster', 'Pod', 'PersistentVolumeClaim'].map((k) => namespacedCount(k, 'shop')),
    ).toEqual([0, 0, 0]);
  });

  it('keeps it Terminating while a finalizer holds a pod, and refuses new content meanwhile', async () => {
    t.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'held' } });
    t.apply(podManifest({ name: 'pinned', namespace: 'held', finalizers: ['example.com/hold'] }));

    const deleted = await kubectl(t, ['delete', 'namespace', 'held', '--wait=false']);
    expect(deleted.stdout.trim()).toBe('namespace "held" deleted');
    const remaining = await waitFor('the finalizers condition', async () => {
      const result = await kubectl(t, [
        'get',
        'namespace',
        'held',
        '-o',
        'jsonpath={.status.conditions[?(@.type=="NamespaceFinalizersRemaining")].message}',
      ]);
      return result.stdout === '' ? undefined : result.stdout;
    });
    expect(remaining).toBe(
      'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances',
    );
    const listed = await kubectl(t, ['get', 'namespace', 'held', '--no-headers']);
    expect(listed.stdout).toMatch(/^held\s+Terminating\s/);

    const late = await kubectl(t, ['create', '-f', '-'], {
      stdin: JSON.stringify(podManifest({ name: 'late', namespace: 'held' })),
    });
    expect(late.code).not.toBe(0);
    expect(late.stderr.trim()).toBe(
      'Error from server (Forbidden): error when creating "STDIN": pods "late" is forbidden: ' +
        'unable to create new content in namespace held because it is being terminated',
    );

    await kubectl(t, [
      'patch',
      'pod',
      'pinned',
      '-n',
      'held',
      '--type=merge',
      '-p',
      '{"metadata":{"finalizers":null}}',
    ]);
    const waited = await kubectl(t, ['wait', '--for=delete', 'namespace/held', '--timeout=30s']);
    expect(waited.code).toBe(0);
  });

  it('refuses to delete the default namespace', async () => {
    const result = await kubectl(t, ['delete', 'namespace', 'default']);
    expect(result.stderr.trim()).toBe(
      'Error from server (Forbidden): namespaces "default" is forbidden: this namespace may not be deleted',
    );
    expect((await kubectl(t, ['get', 'namespace', 'default', '-o', 'name'])).stdout.trim()).toBe(
      'namespace/default',
    );
  });
});

describe('an injected 403 through kubectl', () => {
  it('reads as RBAC denial once kubectl is past /version and discovery', async () => {
    t.sandbox.faults.failNext({ count: 1, status: 403 });
    const denied = await kubectl(t, ['get', 'pods', '-n', 'default']);
    expect(denied.stderr.trim()).toBe(
      'Error from server (Forbidden): pods is forbidden: User "system:anonymous" cannot list ' +
        'resource "pods" in API group "" in the namespace "default"',
    );
    expect((await kubectl(t, ['get', 'pods', '-n', 'default'])).code).toBe(0);
  });

  it('can be aimed at one resource through the control API', async () => {
    const fault = { type: 'failNext', count: 1, status: 403, resource: 'clusters' };
    const set = await kubectl(t, ['create', '--raw', '/_sandbox/faults/api', '-f', '-'], {
      stdin: JSON.stringify(fault),
    });
    expect(set.stdout).toContain('"ok":true');

    expect((await kubectl(t, ['get', 'pods', '-n', 'default'])).code).toBe(0);
    const denied = await kubectl(t, ['get', 'clusters', '-n', 'default']);
    expect(denied.stderr.trim()).toBe(
      'Error from server (Forbidden): clusters.postgresql.cnpg.io is forbidden: User ' +
        '"system:anonymous" cannot list resource "clusters" in API group "postgresql.cnpg.io" ' +
        'in the namespace "default"',
    );
  });
});
