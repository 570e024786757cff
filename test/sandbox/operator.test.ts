import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, waitFor, type TestSandbox } from '../support/sandbox';
import { clients, condition, isHealthy, recordPhases } from './operator-helpers';

let t: TestSandbox;
let api: ReturnType<typeof clients>;

beforeAll(async () => {
  t = await startTestSandbox({ speed: 200 });
  api = clients(t);
  await api.createNamespace('lifecycle');
});

afterAll(async () => {
  await t.close();
});

describe('a new Cluster', () => {
  it('goes through CNPG phases to a healthy state with its pods and PVCs', async () => {
    const phases = recordPhases(t, 'lifecycle', 'alpha');
    await api.createCluster('lifecycle', 'alpha', {
      instances: 3,
      storage: { size: '2Gi' },
      walStorage: { size: '1Gi' },
    });

    const cluster = await api.waitForCluster('lifecycle', 'alpha', isHealthy, 'healthy');

    expect(phases).toEqual([
      'Setting up primary | Creating primary instance alpha-1',
      'Creating a new replica | Creating replica alpha-2-join',
      'Creating a new replica | Creating replica alpha-3-join',
      'Cluster in healthy state | ',
    ]);
    expect(cluster.status).toMatchObject({
      instances: 3,
      readyInstances: 3,
      currentPrimary: 'alpha-1',
      targetPrimary: 'alpha-1',
      instanceNames: ['alpha-1', 'alpha-2', 'alpha-3'],
      instancesStatus: { healthy: ['alpha-1', 'alpha-2', 'alpha-3'] },
      writeService: 'alpha-rw',
      readService: 'alpha-r',
      timelineID: 1,
    });
    expect(condition(cluster, 'Ready')).toMatchObject({
      status: 'True',
      reason: 'ClusterIsReady',
      message: 'Cluster is Ready',
    });
    expect(condition(cluster, 'Initialized')).toMatchObject({
      status: 'True',
      reason: 'BootstrapCompleted',
    });
    expect(condition(cluster, 'ContinuousArchiving')).toBeUndefined();
  });

  it('labels its instance pods as CNPG does and gives each a pod IP and a metrics port', async () => {
    const pods = await api.core.listNamespacedPod({
      namespace: 'lifecycle',
      labelSelector: 'cnpg.io/cluster=alpha',
    });
    const byName = new Map(pods.items.map((pod) => [pod.metadata?.name, pod]));

    expect([...byName.keys()].sort()).toEqual(['alpha-1', 'alpha-2', 'alpha-3']);
    expect(byName.get('alpha-1')?.metadata?.labels).toMatchObject({
      'cnpg.io/cluster': 'alpha',
      'cnpg.io/instanceName': 'alpha-1',
      'cnpg.io/instanceRole': 'primary',
      role: 'primary',
      'cnpg.io/podRole': 'instance',
    });
    expect(byName.get('alpha-2')?.metadata?.labels?.['cnpg.io/instanceRole']).toBe('replica');
    for (const pod of pods.items) {
      expect(pod.status?.phase).toBe('Running');
      expect(pod.status?.podIP).toMatch(/^127\.\d+\.\d+\.\d+$/);
      expect(pod.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Cluster', name: 'alpha' });
      const ports = pod.spec?.containers.find((c) => c.name === 'postgres')?.ports ?? [];
      expect(ports).toContainEqual(
        expect.objectContaining({ name: 'metrics', containerPort: 9187 }),
      );
    }
  });

  it("gives each instance pod CNPG's full spec and records it in the cnpg.io/podSpec annotation", async () => {
    const pod = await api.core.readNamespacedPod({ namespace: 'lifecycle', name: 'alpha-2' });
    const spec = pod.spec;

    expect(spec?.initContainers?.map((c) => c.name)).toEqual(['bootstrap-controller']);
    const postgres = spec?.containers.find((c) => c.name === 'postgres');
    expect(postgres?.env).toContainEqual({ name: 'POD_NAME', value: 'alpha-2' });
    expect(postgres?.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(postgres?.securityContext?.readOnlyRootFilesystem).toBe(true);
    expect(spec?.volumes?.find((v) => v.name === 'pgdata')?.persistentVolumeClaim?.claimName).toBe(
      'alpha-2',
    );
    expect(spec?.terminationGracePeriodSeconds).toBe(1800);
    const recorded = JSON.parse(pod.metadata?.annotations?.['cnpg.io/podSpec'] ?? '{}') as {
      containers?: { name: string }[];
      hostname?: string;
    };
    expect(recorded.hostname).toBe('alpha-2');
    expect(recorded.containers?.map((c) => c.name)).toEqual(['postgres']);
  });

  it("keeps CNPG's bookkeeping in the Cluster status, which the CRD schema accepts", async () => {
    const cluster = await api.cluster('lifecycle', 'alpha');
    expect(cluster.status).toMatchObject({
      certificates: {
        serverCASecret: 'alpha-ca',
        serverTLSSecret: 'alpha-server',
        replicationTLSSecret: 'alpha-replication',
      },
      configMapResourceVersion: { metrics: expect.any(Object) },
      secretsResourceVersion: { applicationSecretVersion: expect.stringMatching(/^\d+$/) },
      systemID: expect.stringMatching(/^\d{19}$/),
      pgDataImageInfo: { majorVersion: 17 },
    });
    const status = cluster.status as { certificates: { serverAltDNSNames: string[] } };
    expect(status.certificates.serverAltDNSNames).toContain('alpha-rw.lifecycle.svc.cluster.local');
  });

  it('creates a data PVC per instance and a WAL PVC when walStorage is set', async () => {
    const pvcs = await api.core.listNamespacedPersistentVolumeClaim({
      namespace: 'lifecycle',
      labelSelector: 'cnpg.io/cluster=alpha',
    });
    const roles = pvcs.items
      .map((pvc) => `${pvc.metadata?.name}=${pvc.metadata?.labels?.['cnpg.io/pvcRole']}`)
      .sort();

    expect(roles).toEqual([
      'alpha-1-wal=PG_WAL',
      'alpha-1=PG_DATA',
      'alpha-2-wal=PG_WAL',
      'alpha-2=PG_DATA',
      'alpha-3-wal=PG_WAL',
      'alpha-3=PG_DATA',
    ]);
    const data = pvcs.items.find((pvc) => pvc.metadata?.name === 'alpha-1');
    expect(data?.status?.capacity?.storage).toBe('2Gi');
  });

  it('scales up and down with spec.instances, removing the highest replica first', async () => {
    await api.custom.patchNamespacedCustomObject({
      group: 'postgresql.cnpg.io',
      version: 'v1',
      namespace: 'lifecycle',
      plural: 'clusters',
      name: 'alpha',
      body: [{ op: 'replace', path: '/spec/instances', value: 4 }],
    });
    const scaledUp = await api.waitForCluster(
      'lifecycle',
      'alpha',
      (c) => isHealthy(c) && c.status?.readyInstances === 4,
      'with 4 ready instances',
    );
    expect(scaledUp.status?.instanceNames).toEqual(['alpha-1', 'alpha-2', 'alpha-3', 'alpha-4']);

    await api.custom.patchNamespacedCustomObject({
      group: 'postgresql.cnpg.io',
      version: 'v1',
      namespace: 'lifecycle',
      plural: 'clusters',
      name: 'alpha',
      body: [{ op: 'replace', path: '/spec/instances', value: 2 }],
    });
    const scaledDown = await api.waitForCluster(
      'lifecycle',
      'alpha',
      (c) => isHealthy(c) && c.status?.instances === 2,
      'with 2 instances',
    );
    expect(scaledDown.status?.instanceNames).toEqual(['alpha-1', 'alpha-2']);
  });

  it('fails over to a replica when the primary pod is deleted, then recreates the old primary as a replica', async () => {
    const phases = recordPhases(t, 'lifecycle', 'alpha');
    await api.core.deleteNamespacedPod({ namespace: 'lifecycle', name: 'alpha-1' });

    const cluster = await api.waitForCluster(
      'lifecycle',
      'alpha',
      (c) =>
        isHealthy(c) && c.status?.currentPrimary === 'alpha-2' && c.status?.readyInstances === 2,
      'healthy with alpha-2 as primary',
    );

    const firstChange = phases.find((entry) => !entry.startsWith('Cluster in healthy state'));
    expect(firstChange).toBe('Failing over | Failing over from alpha-1 to alpha-2');
    expect(cluster.status).toMatchObject({ targetPrimary: 'alpha-2', timelineID: 2 });
    const recreated = await api.core.readNamespacedPod({ namespace: 'lifecycle', name: 'alpha-1' });
    expect(recreated.metadata?.labels?.['cnpg.io/instanceRole']).toBe('replica');
    const promoted = await api.core.readNamespacedPod({ namespace: 'lifecycle', name: 'alpha-2' });
    expect(promoted.metadata?.labels?.['cnpg.io/instanceRole']).toBe('primary');
  });

  it('takes its pods and PVCs with it when deleted', async () => {
    await api.createCluster('lifecycle', 'doomed', { instances: 1, storage: { size: '1Gi' } });
    await api.waitForCluster('lifecycle', 'doomed', isHealthy, 'healthy');

    await api.custom.deleteNamespacedCustomObject({
      group: 'postgresql.cnpg.io',
      version: 'v1',
      namespace: 'lifecycle',
      plural: 'clusters',
      name: 'doomed',
    });

    await waitFor('the pods and PVCs of doomed to disappear', async () => {
      const pods = await api.core.listNamespacedPod({
        namespace: 'lifecycle',
        labelSelector: 'cnpg.io/cluster=doomed',
      });
      const pvcs = await api.core.listNamespacedPersistentVolumeClaim({
        namespace: 'lifecycle',
        labelSelector: 'cnpg.io/cluster=doomed',
      });
      return pods.items.length === 0 && pvcs.items.length === 0 ? true : undefined;
    });
  });
});

describe('staged failures', () => {
  it('shows a failed instance in instancesStatus and keeps the cluster not ready', async () => {
    await api.createCluster(
      'lifecycle',
      'shaky',
      { instances: 3, storage: { size: '1Gi' } },
      {
        annotations: { 'sandbox.deckhand.io/failed-instance': 'shaky-3' },
      },
    );

    const cluster = await api.waitForCluster(
      'lifecycle',
      'shaky',
      (c) => c.status?.phase === 'Waiting for the instances to become active',
      'waiting for instances',
    );

    expect(cluster.status).toMatchObject({
      readyInstances: 2,
      instancesStatus: { healthy: ['shaky-1', 'shaky-2'], failed: ['shaky-3'] },
    });
    expect(condition(cluster, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ClusterIsNotReady',
      message: 'Cluster Is Not Ready',
    });
  });

  it('reports WAL archiving failing with the archiver error', async () => {
    await api.createCluster(
      'lifecycle',
      'archiver',
      {
        instances: 1,
        storage: { size: '1Gi' },
        backup: { barmanObjectStore: { destinationPath: 's3://lifecycle/' } },
      },
      {
        annotations: {
          'sandbox.deckhand.io/archiving-error': 'barman-cloud-wal-archive: exit status 4',
        },
      },
    );

    const cluster = await api.waitForCluster('lifecycle', 'archiver', isHealthy, 'healthy');

    expect(condition(cluster, 'ContinuousArchiving')).toMatchObject({
      status: 'False',
      reason: 'ContinuousArchivingFailing',
      message: 'barman-cloud-wal-archive: exit status 4',
    });
  });
});
