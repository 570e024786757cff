import { request as httpsRequest } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../support/kubectl';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox();
  for (const namespace of ['lists', 'maps', 'owners', 'writes', 'checks']) {
    await sandbox.kubectl(['create', 'namespace', namespace]);
  }
});

afterAll(async () => {
  await sandbox.close();
});

function clusterManifest(name: string, spec: string[]): string {
  return [
    'apiVersion: postgresql.cnpg.io/v1',
    'kind: Cluster',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    ...spec.map((line) => `  ${line}`),
  ].join('\n');
}

function applyServerSide(namespace: string, manifest: string, flags: string[] = []) {
  return sandbox.kubectl(['apply', '--server-side', '-n', namespace, ...flags, '-f', '-'], {
    input: manifest,
  });
}

async function jsonOf(namespace: string, resource: string, name: string) {
  const result = await sandbox.kubectl([
    'get',
    '-n',
    namespace,
    resource,
    name,
    '-o',
    'json',
    '--show-managed-fields',
  ]);
  return JSON.parse(result.stdout) as {
    metadata: {
      resourceVersion: string;
      managedFields?: { manager: string; operation: string; fieldsV1: Record<string, unknown> }[];
    };
    spec: Record<string, unknown>;
  };
}

describe('kubectl apply --server-side against the sandbox', () => {
  it('keeps a list without a list type exactly as applied, applied twice', async () => {
    const manifest = clusterManifest('sql-refs', [
      'instances: 1',
      'storage: {size: 1Gi}',
      'bootstrap:',
      '  initdb:',
      '    postInitSQLRefs:',
      '      secretRefs:',
      '      - {name: sql, key: one.sql}',
      '      - {name: sql, key: two.sql}',
    ]);
    expect((await applyServerSide('lists', manifest)).code).toBe(0);
    expect((await applyServerSide('lists', manifest)).code).toBe(0);

    const stored = await jsonOf('lists', 'cluster', 'sql-refs');
    const bootstrap = stored.spec.bootstrap as {
      initdb: { postInitSQLRefs: { secretRefs: unknown } };
    };
    expect(bootstrap.initdb.postInitSQLRefs.secretRefs).toEqual([
      { name: 'sql', key: 'one.sql' },
      { name: 'sql', key: 'two.sql' },
    ]);
    const applied = stored.metadata.managedFields?.find((entry) => entry.operation === 'Apply');
    expect(JSON.stringify(applied?.fieldsV1)).toContain('"f:secretRefs":{}');
  });

  it("merges a CRD's map list by its keys, so two managers can own one item each", async () => {
    const extension = (name: string) => [
      'instances: 1',
      'storage: {size: 1Gi}',
      'postgresql:',
      '  extensions:',
      `  - {name: ${name}, image: {reference: "ghcr.io/example/${name}:1"}}`,
    ];
    const first = await applyServerSide('maps', clusterManifest('ext', extension('vector')));
    expect(first.code).toBe(0);
    const second = await applyServerSide('maps', clusterManifest('ext', extension('postgis')), [
      '--field-manager=other',
    ]);
    expect(second.code).toBe(0);

    const stored = await jsonOf('maps', 'cluster', 'ext');
    const postgresql = stored.spec.postgresql as { extensions: { name: string }[] };
    expect(postgresql.extensions.map((item) => item.name)).toEqual(['vector', 'postgis']);
    const byManager = (manager: string) =>
      JSON.stringify(stored.metadata.managedFields?.find((e) => e.manager === manager)?.fieldsV1);
    expect(byManager('other')).toContain('"k:{\\"name\\":\\"postgis\\"}"');
    expect(byManager('other')).not.toContain('vector');
  });

  it('keys pod containers and ports as Kubernetes does', async () => {
    const pod = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: keyed}',
      'spec:',
      '  containers:',
      '  - name: postgres',
      '    image: postgres:17',
      '    ports: [{containerPort: 5432}]',
    ].join('\n');
    expect((await applyServerSide('lists', pod)).code).toBe(0);

    const stored = await jsonOf('lists', 'pod', 'keyed');
    const applied = stored.metadata.managedFields?.find((entry) => entry.manager === 'kubectl');
    expect(applied?.fieldsV1).toEqual({
      'f:spec': {
        'f:containers': {
          'k:{"name":"postgres"}': {
            '.': {},
            'f:image': {},
            'f:name': {},
            'f:ports': {
              'k:{"containerPort":5432,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} },
            },
          },
        },
      },
    });
  });

  it('reports a conflict with another manager and moves the field when forced', async () => {
    const manifest = (instances: number) =>
      clusterManifest('contested', [`instances: ${instances}`, 'storage: {size: 1Gi}']);
    await applyServerSide('owners', manifest(1));

    const refused = await applyServerSide('owners', manifest(3), ['--field-manager=helm']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'error: Apply failed with 1 conflict: conflict with "kubectl": .spec.instances',
    );

    const shared = await applyServerSide('owners', manifest(1), ['--field-manager=helm']);
    expect(shared.code).toBe(0);
    const forced = await applyServerSide('owners', manifest(3), [
      '--field-manager=helm',
      '--force-conflicts',
    ]);
    expect(forced.code).toBe(0);

    const stored = await jsonOf('owners', 'cluster', 'contested');
    expect(stored.spec.instances).toBe(3);
    const kubectlEntry = stored.metadata.managedFields?.find(
      (entry) => entry.manager === 'kubectl',
    );
    expect(kubectlEntry?.fieldsV1).toEqual({ 'f:spec': { 'f:storage': { 'f:size': {} } } });
  });

  it('conflicts with a merge patch, then replaces the list when forced', async () => {
    const manifest = clusterManifest('patched', [
      'instances: 1',
      'storage: {size: 1Gi}',
      'env: [{name: A, value: a}]',
    ]);
    await applyServerSide('owners', manifest);
    const patch = '{"spec":{"env":[{"name":"B","value":"b"}]}}';
    await sandbox.kubectl([
      'patch',
      '-n',
      'owners',
      'cluster',
      'patched',
      '--type',
      'merge',
      '-p',
      patch,
    ]);

    const refused = await applyServerSide('owners', manifest);
    expect(refused.stderr).toContain(
      'Apply failed with 1 conflict: conflict with "kubectl-patch" using postgresql.cnpg.io/v1: .spec.env',
    );
    expect((await applyServerSide('owners', manifest, ['--force-conflicts'])).code).toBe(0);
    expect((await jsonOf('owners', 'cluster', 'patched')).spec.env).toEqual([
      { name: 'A', value: 'a' },
    ]);
  });

  it('leaves an unchanged object alone: same resourceVersion, no event', async () => {
    const manifest = clusterManifest('steady', ['instances: 2', 'storage: {size: 1Gi}']);
    await applyServerSide('owners', manifest);
    const before = (await jsonOf('owners', 'cluster', 'steady')).metadata.resourceVersion;
    const events: string[] = [];
    const stop = sandbox.store.subscribe((event) => events.push(event.object.metadata.name));

    expect((await applyServerSide('owners', manifest)).code).toBe(0);
    stop();

    expect((await jsonOf('owners', 'cluster', 'steady')).metadata.resourceVersion).toBe(before);
    expect(events).toEqual([]);
  });
});

describe('managedFields of other kubectl writes', () => {
  it('records client-side apply, and a later server-side apply conflicts with it', async () => {
    const manifest = (instances: number) =>
      clusterManifest('classic', [`instances: ${instances}`, 'storage: {size: 1Gi}']);
    await sandbox.kubectl(['apply', '-n', 'writes', '-f', '-'], { input: manifest(1) });
    const created = await jsonOf('writes', 'cluster', 'classic');
    expect(created.metadata.managedFields?.map((entry) => entry.manager)).toEqual([
      'kubectl-client-side-apply',
    ]);

    const refused = await applyServerSide('writes', manifest(2), ['--field-manager=helm']);
    expect(refused.stderr).toContain(
      'conflict with "kubectl-client-side-apply" using postgresql.cnpg.io/v1: .spec.instances',
    );
  });

  it('keeps managedFields through a replace that does not send them', async () => {
    await sandbox.kubectl(['create', '-n', 'writes', '-f', '-'], {
      input: clusterManifest('replaced', ['instances: 1', 'storage: {size: 1Gi}']),
    });
    const replaced = await sandbox.kubectl(['replace', '-n', 'writes', '-f', '-'], {
      input: clusterManifest('replaced', ['instances: 2', 'storage: {size: 1Gi}']),
    });
    expect(replaced.code).toBe(0);

    const stored = await jsonOf('writes', 'cluster', 'replaced');
    expect(stored.metadata.managedFields?.map((entry) => entry.manager)).toEqual([
      'kubectl-create',
      'kubectl-replace',
    ]);
    expect(stored.metadata.managedFields?.[1]?.fieldsV1).toEqual({
      'f:spec': { 'f:instances': {} },
    });
  });
});

/** Sends an apply patch straight to the sandbox, for the checks kubectl makes before sending. */
function sendApply(
  path: string,
  body: string,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const url = new URL(path, sandbox.server.url);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method: 'PATCH',
        ca: sandbox.server.caPem,
        headers: { 'Content-Type': 'application/apply-patch+yaml' },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            json: JSON.parse(text) as Record<string, unknown>,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('checks on an apply request', () => {
  const path = '/apis/postgresql.cnpg.io/v1/namespaces/checks/clusters/checked?fieldManager=test';
  const valid = clusterManifest('checked', ['instances: 1', 'storage: {size: 1Gi}']);

  it.each([
    [
      'a namespace other than the URL one',
      valid.replace('  name: checked', '  name: checked\n  namespace: elsewhere'),
      'the namespace of the provided object does not match the namespace sent on the request',
    ],
    [
      'managedFields in the configuration',
      valid.replace('  name: checked', '  name: checked\n  managedFields: [{manager: x}]'),
      'metadata.managedFields must be nil',
    ],
    ['no kind', valid.replace('kind: Cluster\n', ''), `Object 'Kind' is missing in`],
    [
      'no apiVersion',
      valid.replace('apiVersion: postgresql.cnpg.io/v1\n', ''),
      `Object 'apiVersion' is missing in`,
    ],
  ])('refuses %s with 400', async (_label, body, message) => {
    const reply = await sendApply(path, body);
    expect(reply.status).toBe(400);
    expect(reply.json.reason).toBe('BadRequest');
    expect(reply.json.message).toContain(message);
  });

  it('refuses an apply without a field manager with 422', async () => {
    const reply = await sendApply(path.replace('?fieldManager=test', ''), valid);
    expect(reply.status).toBe(422);
    expect(reply.json.message).toBe(
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
  });
});
