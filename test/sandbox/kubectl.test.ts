import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceDir, startSandbox, type Sandbox } from '../support/kubectl';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox();
});

afterAll(async () => {
  await sandbox.close();
});

function manifests(folder: string): string[] {
  const dir = path.join(referenceDir, folder);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => path.join(dir, file));
}

/** Collects a process's stdout; `waitFor` resolves with all of it once `text` shows up. */
function collectOutput(child: ReturnType<Sandbox['spawnKubectl']>): {
  waitFor(text: string): Promise<string>;
} {
  let output = '';
  const waiters: { text: string; resolve: (output: string) => void }[] = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    for (const waiter of waiters.filter((entry) => output.includes(entry.text)))
      waiter.resolve(output);
  });
  return {
    waitFor: (text) =>
      new Promise((resolve, reject) => {
        if (output.includes(text)) return resolve(output);
        const timer = setTimeout(() => reject(new Error(`no "${text}" in: ${output}`)), 20_000);
        waiters.push({ text, resolve: (all) => (clearTimeout(timer), resolve(all)) });
      }),
  };
}

describe('kubectl against the sandbox', () => {
  it('reports the server version', async () => {
    const result = await sandbox.kubectl(['version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Server Version: v1.32.0');
  });

  it('lists the served resources with their short names', async () => {
    const result = await sandbox.kubectl(['api-resources', '--no-headers']);
    expect(result.code).toBe(0);
    const rows = result.stdout
      .trim()
      .split('\n')
      .map((line) => line.split(/\s+/));
    expect(rows).toContainEqual(['pods', 'po', 'v1', 'true', 'Pod']);
    expect(rows).toContainEqual(['namespaces', 'ns', 'v1', 'false', 'Namespace']);
    expect(rows).toContainEqual(['clusters', 'postgresql.cnpg.io/v1', 'true', 'Cluster']);
    expect(rows).toContainEqual(['objectstores', 'barmancloud.cnpg.io/v1', 'true', 'ObjectStore']);
  });

  it('creates a namespace (sent as protobuf) and shows it Active', async () => {
    expect((await sandbox.kubectl(['create', 'namespace', 'kubectl-ns'])).stdout).toBe(
      'namespace/kubectl-ns created\n',
    );
    const result = await sandbox.kubectl(['get', 'namespace', 'kubectl-ns', '--no-headers']);
    expect(result.stdout).toMatch(/^kubectl-ns\s+Active\s+\d+s\n$/);
  });

  // Every sample stands alone at the API level: the objects they refer to
  // (secrets, the backups or clusters a restore reads, the ObjectStore of the
  // plugin samples) are only looked up by the operator, never by the apiserver.
  it('applies every CNPG and Barman Cloud sample, each in its own namespace', async () => {
    const files = [...manifests('samples'), ...manifests('plugin-barman-cloud')];
    expect(files.length).toBeGreaterThan(10);
    for (const [index, file] of files.entries()) {
      const namespace = `sample-${index}`;
      await sandbox.kubectl(['create', 'namespace', namespace]);
      const result = await sandbox.kubectl(['apply', '-n', namespace, '-f', file]);
      expect({ file, code: result.code, stderr: result.stderr }).toEqual({
        file,
        code: 0,
        stderr: '',
      });
      expect(result.stdout).toMatch(/ created\n$/);

      // Re-applying changes nothing stored. kubectl may still say "configured"
      // (as on a real cluster) when a list item gained schema defaults.
      const versionOf = async (): Promise<string> =>
        (
          await sandbox.kubectl([
            'get',
            '-n',
            namespace,
            '-f',
            file,
            '-o',
            'jsonpath={.metadata.resourceVersion}',
          ])
        ).stdout;
      const before = await versionOf();
      const again = await sandbox.kubectl(['apply', '-n', namespace, '-f', file]);
      expect(again.stdout).toMatch(/ (unchanged|configured)\n$/);
      expect(await versionOf()).toBe(before);
    }
  });

  it('prints cluster changes with get -w in the CRD printer columns', async () => {
    await sandbox.kubectl(['create', 'namespace', 'watched']);
    const file = path.join(referenceDir, 'samples', 'cluster-example.yaml');
    await sandbox.kubectl(['apply', '-n', 'watched', '-f', file]);
    const child = sandbox.spawnKubectl(['get', 'clusters', '-n', 'watched', '-w']);
    const output = collectOutput(child);
    try {
      await output.waitFor('cluster-example');
      const clusters = sandbox.store.resourceFor('postgresql.cnpg.io', 'clusters');
      const current = clusters && sandbox.store.get(clusters, 'watched', 'cluster-example');
      if (clusters === undefined || current === undefined) throw new Error('cluster missing');
      const status = {
        instances: 3,
        readyInstances: 3,
        phase: 'Cluster in healthy state',
        currentPrimary: 'cluster-example-1',
      };
      sandbox.store.update(clusters, { ...current, status }, { subresource: 'status' });

      const printed = await output.waitFor('cluster-example-1');
      const lines = printed.trim().split('\n');
      expect(lines[0]).toMatch(/^NAME\s+AGE\s+INSTANCES\s+READY\s+STATUS\s+PRIMARY$/);
      expect(lines.at(-1)).toMatch(
        /^cluster-example\s+\d+s\s+3\s+3\s+Cluster in healthy state\s+cluster-example-1$/,
      );
    } finally {
      child.kill();
    }
  });

  it('lets kubectl wait for a status a controller sets later', async () => {
    await sandbox.kubectl(['create', 'namespace', 'waiting']);
    await sandbox.kubectl([
      'apply',
      '-n',
      'waiting',
      '-f',
      path.join(referenceDir, 'samples', 'cluster-example.yaml'),
    ]);
    const waiting = sandbox.kubectl([
      'wait',
      '-n',
      'waiting',
      'cluster/cluster-example',
      '--for=jsonpath={.status.phase}=Setting up primary',
      '--timeout=20s',
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const clusters = sandbox.store.resourceFor('postgresql.cnpg.io', 'clusters');
    const current = clusters && sandbox.store.get(clusters, 'waiting', 'cluster-example');
    if (clusters === undefined || current === undefined) throw new Error('cluster missing');
    sandbox.store.update(
      clusters,
      { ...current, status: { phase: 'Setting up primary' } },
      { subresource: 'status' },
    );
    expect((await waiting).stdout).toBe(
      'cluster.postgresql.cnpg.io/cluster-example condition met\n',
    );
  });

  it('patches with a merge patch and shows the result in get -o json', async () => {
    await sandbox.kubectl(['create', 'namespace', 'patched']);
    await sandbox.kubectl([
      'apply',
      '-n',
      'patched',
      '-f',
      path.join(referenceDir, 'samples', 'cluster-example.yaml'),
    ]);
    const patch = await sandbox.kubectl([
      'patch',
      'cluster',
      'cluster-example',
      '-n',
      'patched',
      '--type',
      'merge',
      '-p',
      '{"spec":{"instances":5}}',
    ]);
    expect(patch.stdout).toBe('cluster.postgresql.cnpg.io/cluster-example patched\n');

    const result = await sandbox.kubectl([
      'get',
      'cluster',
      'cluster-example',
      '-n',
      'patched',
      '-o',
      'json',
    ]);
    const cluster = JSON.parse(result.stdout) as {
      spec: { instances: number };
      metadata: { generation: number };
    };
    expect(cluster.spec.instances).toBe(5);
    expect(cluster.metadata.generation).toBe(2);
  });

  it('deletes a cluster, after which get reports NotFound', async () => {
    await sandbox.kubectl(['create', 'namespace', 'deleted']);
    await sandbox.kubectl([
      'apply',
      '-n',
      'deleted',
      '-f',
      path.join(referenceDir, 'samples', 'cluster-example.yaml'),
    ]);
    const result = await sandbox.kubectl(['delete', 'cluster', 'cluster-example', '-n', 'deleted']);
    expect(result.stdout).toBe('cluster.postgresql.cnpg.io "cluster-example" deleted\n');
    const after = await sandbox.kubectl(['get', 'cluster', 'cluster-example', '-n', 'deleted']);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain(
      'Error from server (NotFound): clusters.postgresql.cnpg.io "cluster-example" not found',
    );
  });

  it('shows CRD validation errors the way a real cluster does', async () => {
    await sandbox.kubectl(['create', 'namespace', 'invalid']);
    const manifest = [
      'apiVersion: postgresql.cnpg.io/v1',
      'kind: Backup',
      'metadata:',
      '  name: wrong-target',
      'spec:',
      '  cluster:',
      '    name: cluster-example',
      '  target: replica',
    ].join('\n');
    const result = await sandbox.kubectl(['apply', '-n', 'invalid', '-f', '-'], {
      input: manifest,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The Backup "wrong-target" is invalid:');
    expect(result.stderr).toContain(
      '* spec.target: Unsupported value: "replica": supported values: "primary", "prefer-standby"',
    );
    expect(result.stderr).toContain(
      '* <nil>: Invalid value: "null": some validation rules were not checked',
    );
  });

  it("enforces the CRDs' CEL rules: a Backup's spec cannot change, a Cluster names one image source", async () => {
    await sandbox.kubectl(['create', 'namespace', 'rules']);
    const backup = (clusterName: string) =>
      [
        'apiVersion: postgresql.cnpg.io/v1',
        'kind: Backup',
        'metadata:',
        '  name: frozen',
        'spec:',
        '  cluster:',
        `    name: ${clusterName}`,
      ].join('\n');
    const created = await sandbox.kubectl(['apply', '-n', 'rules', '-f', '-'], {
      input: backup('first'),
    });
    expect(created.code).toBe(0);
    const changed = await sandbox.kubectl(['apply', '-n', 'rules', '-f', '-'], {
      input: backup('second'),
    });
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain(
      'The Backup "frozen" is invalid: spec: Invalid value: "object": BackupSpec is immutable once set',
    );
    // Metadata is not covered by the rule: labelling the Backup still works.
    const labelled = await sandbox.kubectl(['label', '-n', 'rules', 'backup', 'frozen', 'team=a']);
    expect(labelled.code).toBe(0);

    const cluster = [
      'apiVersion: postgresql.cnpg.io/v1',
      'kind: Cluster',
      'metadata:',
      '  name: two-images',
      'spec:',
      '  instances: 1',
      '  imageName: ghcr.io/cloudnative-pg/postgresql:17.6',
      '  imageCatalogRef:',
      '    apiGroup: postgresql.cnpg.io',
      '    kind: ImageCatalog',
      '    name: catalog',
      '    major: 17',
      '  storage:',
      '    size: 1Gi',
    ].join('\n');
    const refused = await sandbox.kubectl(['apply', '-n', 'rules', '-f', '-'], { input: cluster });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'The Cluster "two-images" is invalid: spec: Invalid value: "object": ' +
        'imageName and imageCatalogRef are mutually exclusive',
    );
  });

  it('applies server-side, removing only fields the same manager applied before', async () => {
    await sandbox.kubectl(['create', 'namespace', 'ssa']);
    const manifest = (instances: number, labels: string[]) =>
      [
        'apiVersion: postgresql.cnpg.io/v1',
        'kind: Cluster',
        'metadata:',
        '  name: applied',
        '  labels:',
        ...labels.map((label) => `    ${label}`),
        'spec:',
        `  instances: ${instances}`,
        '  storage:',
        '    size: 1Gi',
      ].join('\n');
    const first = await sandbox.kubectl(['apply', '--server-side', '-n', 'ssa', '-f', '-'], {
      input: manifest(1, ['team: a', 'tier: gold']),
    });
    expect(first.stdout.trim()).toBe('cluster.postgresql.cnpg.io/applied serverside-applied');
    await sandbox.kubectl(['label', '-n', 'ssa', 'cluster', 'applied', 'owner=ops']);

    const second = await sandbox.kubectl(['apply', '--server-side', '-n', 'ssa', '-f', '-'], {
      input: manifest(3, ['team: a']),
    });
    expect(second.code).toBe(0);
    const shown = await sandbox.kubectl([
      'get',
      '-n',
      'ssa',
      'cluster',
      'applied',
      '-o',
      'jsonpath={.metadata.labels} {.spec.instances} {.metadata.managedFields[0].manager}/{.metadata.managedFields[0].operation}',
    ]);
    expect(shown.stdout).toBe('{"owner":"ops","team":"a"} 3 kubectl/Apply');
  });

  it('rejects unknown fields, since kubectl asks for strict field validation', async () => {
    await sandbox.kubectl(['create', 'namespace', 'strict']);
    const manifest = [
      'apiVersion: postgresql.cnpg.io/v1',
      'kind: Cluster',
      'metadata:',
      '  name: typo',
      'spec:',
      '  instances: 1',
      '  instancez: 3',
      '  storage:',
      '    size: 1Gi',
    ].join('\n');
    const result = await sandbox.kubectl(['apply', '-n', 'strict', '-f', '-'], { input: manifest });
    expect(result.stderr).toContain(
      'Error from server (BadRequest): error when creating "STDIN": Cluster in version "v1" cannot be ' +
        'handled as a Cluster: strict decoding error: unknown field "spec.instancez"',
    );
  });

  it('refuses objects in a namespace that does not exist', async () => {
    const file = path.join(referenceDir, 'samples', 'cluster-example.yaml');
    const result = await sandbox.kubectl(['apply', '-n', 'nowhere', '-f', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('namespaces "nowhere" not found');
  });
});
