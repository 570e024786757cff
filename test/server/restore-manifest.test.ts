// Every shape of restore manifest Deckhand can build, compared with its golden
// YAML, checked against the real Cluster CRD schema and CNPG's recovery rules,
// and its preview checked for leaked credentials. UPDATE_GOLDEN=1 rewrites the
// golden files from the current builder.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RecoverabilityWindow } from '../../src/contract/api';
import type { BackupFacts } from '../../src/server/actions/backup-object';
import type { JsonObject } from '../../src/server/actions/json';
import { manifestPreview, toYaml } from '../../src/server/actions/manifest-preview';
import { checkRecoveryRules } from '../../src/server/actions/recovery-rules';
import { buildRestoreManifest } from '../../src/server/actions/restore-manifest';
import { planRestore } from '../../src/server/actions/restore-plan';
import { parseRestoreRequest } from '../../src/server/actions/restore-request';
import { restoreWarnings } from '../../src/server/actions/restore-warnings';
import { crdValidator } from '../../src/server/actions/testing/crd-schema';
import { backupFacts, sampleCluster } from '../../src/server/actions/testing/fixtures';

const goldenDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../golden/restore');
const shouldUpdate = process.env.UPDATE_GOLDEN === '1';
const validateCluster = crdValidator('postgresql.cnpg.io_clusters.yaml');
const source = { namespace: 'team-a', name: 'alpha' };
const window: RecoverabilityWindow = { start: '2026-03-24T10:00:00Z', end: '2026-03-24T11:30:00Z' };

interface Shape {
  golden: string;
  sourceKind: 'barmanObjectStore' | 'plugin' | 'volumeSnapshot';
  backup: Partial<BackupFacts>;
  targetNamespace: string;
  pitrTargetTime?: string;
}

const pluginBackup: Partial<BackupFacts> = {
  method: 'plugin',
  pluginName: 'barman-cloud.cloudnative-pg.io',
};
const snapshotBackup: Partial<BackupFacts> = { method: 'volumeSnapshot', backupId: undefined };

const shapes: Shape[] = [
  {
    golden: 'in-tree-same-namespace',
    sourceKind: 'barmanObjectStore',
    backup: {},
    targetNamespace: 'team-a',
  },
  {
    golden: 'in-tree-other-namespace',
    sourceKind: 'barmanObjectStore',
    backup: {},
    targetNamespace: 'team-b',
  },
  {
    golden: 'in-tree-pitr-same-namespace',
    sourceKind: 'barmanObjectStore',
    backup: {},
    targetNamespace: 'team-a',
    pitrTargetTime: '2026-03-24T11:15:00Z',
  },
  {
    golden: 'in-tree-pitr-other-namespace',
    sourceKind: 'barmanObjectStore',
    backup: {},
    targetNamespace: 'team-b',
    pitrTargetTime: '2026-03-24T11:15:00Z',
  },
  {
    golden: 'plugin-same-namespace',
    sourceKind: 'plugin',
    backup: pluginBackup,
    targetNamespace: 'team-a',
  },
  {
    golden: 'plugin-other-namespace',
    sourceKind: 'plugin',
    backup: pluginBackup,
    targetNamespace: 'team-b',
  },
  {
    golden: 'plugin-pitr-other-namespace',
    sourceKind: 'plugin',
    backup: pluginBackup,
    targetNamespace: 'team-b',
    pitrTargetTime: '2026-03-24T11:15:00Z',
  },
  {
    golden: 'volume-snapshot-same-namespace',
    sourceKind: 'volumeSnapshot',
    backup: snapshotBackup,
    targetNamespace: 'team-a',
  },
];

function build(shape: Shape) {
  const sourceCluster = sampleCluster(shape.sourceKind, source);
  const backup = backupFacts(shape.backup);
  const body: Record<string, string> = {
    backupName: backup.name,
    targetNamespace: shape.targetNamespace,
    targetName: 'alpha-restore',
  };
  if (shape.pitrTargetTime !== undefined) body.pitrTargetTime = shape.pitrTargetTime;
  const request = parseRestoreRequest(body, source);
  const plan = planRestore({ request, source, sourceCluster, backup, window });
  return { plan, sourceCluster, manifest: buildRestoreManifest(plan, sourceCluster) };
}

function compareWithGolden(name: string, text: string): void {
  const file = path.join(goldenDir, `${name}.yaml`);
  if (shouldUpdate) writeFileSync(file, text);
  expect(existsSync(file), `${file} is missing; run with UPDATE_GOLDEN=1`).toBe(true);
  expect(text).toBe(readFileSync(file, 'utf8'));
}

describe.each(shapes)('the $golden restore manifest', (shape) => {
  it('matches its golden YAML', () => {
    compareWithGolden(shape.golden, toYaml(build(shape).manifest));
  });

  it('fits the Cluster CRD schema with no field the API server would prune', () => {
    expect(validateCluster(build(shape).manifest)).toEqual([]);
  });

  it('keeps every CNPG recovery rule', () => {
    expect(checkRecoveryRules(build(shape).manifest)).toEqual([]);
  });

  it('never configures archiving or backups on the new cluster', () => {
    const spec = build(shape).manifest.spec as JsonObject;
    expect(spec.backup).toBeUndefined();
    expect(spec.plugins).toBeUndefined();
  });

  it('shows no credentials, secret names or addresses in its preview', () => {
    const preview = manifestPreview(build(shape).manifest);
    expect(preview).not.toMatch(/ACCESS_KEY_ID|ACCESS_SECRET_KEY|name: minio\n|minio:9000|s3:\/\//);
  });

  it('warns that archiving is not configured, without naming a secret', () => {
    const { plan, sourceCluster } = build(shape);
    const warnings = restoreWarnings(plan, sourceCluster);
    expect(warnings[0]).toContain(
      'WAL archiving and backups are not configured on the new cluster',
    );
    expect(warnings.join('\n')).not.toMatch(/"minio"|ACCESS_/);
  });
});

describe('restore manifests', () => {
  it('read the backup from its own namespace by name when the target shares it', () => {
    const spec = build(shapes[0]!).manifest.spec as JsonObject;
    expect(spec.bootstrap).toEqual({ recovery: { backup: { name: 'alpha-backup-20260324' } } });
    expect(spec.externalClusters).toBeUndefined();
  });

  it('read another namespace through the source object store with the source server name', () => {
    const spec = build(shapes[1]!).manifest.spec as JsonObject;
    expect(spec.bootstrap).toEqual({
      recovery: { source: 'alpha', recoveryTarget: { backupID: '20260324T110000' } },
    });
    const [external] = spec.externalClusters as JsonObject[];
    expect(external).toMatchObject({
      name: 'alpha',
      barmanObjectStore: { destinationPath: 's3://backups/', serverName: 'alpha' },
    });
  });

  it('read through the plugin with the source ObjectStore, never as a WAL archiver', () => {
    const spec = build(shapes[5]!).manifest.spec as JsonObject;
    expect(spec.externalClusters).toEqual([
      {
        name: 'alpha',
        plugin: {
          name: 'barman-cloud.cloudnative-pg.io',
          parameters: { barmanObjectName: 'minio-store', serverName: 'alpha' },
        },
      },
    ]);
  });

  it('say where they came from in labels and annotations', () => {
    const metadata = build(shapes[3]!).manifest.metadata as JsonObject;
    expect(metadata).toEqual({
      name: 'alpha-restore',
      namespace: 'team-b',
      labels: { 'deckhand.io/restored-by': 'deckhand' },
      annotations: {
        'deckhand.io/restore-source-namespace': 'team-a',
        'deckhand.io/restore-source-cluster': 'alpha',
        'deckhand.io/restore-backup': 'alpha-backup-20260324',
        'deckhand.io/restore-target-time': '2026-03-24T11:15:00Z',
      },
    });
  });

  it('redact endpoint URLs and credential references but keep the shape', () => {
    const preview = manifestPreview(build(shapes[1]!).manifest);
    expect(preview).toContain('endpointURL: <redacted>');
    expect(preview).toContain('s3Credentials: <redacted>');
    expect(preview).toContain('serverName: alpha');
  });
});

describe('the copy of the source spec', () => {
  const richSource = {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { namespace: 'team-a', name: 'alpha', labels: { team: 'payments' } },
    spec: {
      instances: 2,
      imageCatalogRef: {
        apiGroup: 'postgresql.cnpg.io',
        kind: 'ImageCatalog',
        name: 'pg',
        major: 17,
      },
      postgresql: {
        parameters: { max_connections: '200', shared_buffers: '1GB' },
        pg_hba: ['host all all 0.0.0.0/0 md5'],
      },
      storage: {
        pvcTemplate: { storageClassName: 'fast', resources: { requests: { storage: '20Gi' } } },
      },
      walStorage: { size: '5Gi' },
      resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { memory: '2Gi' } },
      superuserSecret: { name: 'alpha-superuser' },
      enableSuperuserAccess: true,
      affinity: { enablePodAntiAffinity: true },
      monitoring: { enablePodMonitor: true },
      managed: { roles: [{ name: 'app', passwordSecret: { name: 'app-password' } }] },
      plugins: [
        {
          name: 'barman-cloud.cloudnative-pg.io',
          isWALArchiver: true,
          parameters: { barmanObjectName: 'store' },
        },
      ],
      backup: {
        retentionPolicy: '30d',
        barmanObjectStore: {
          destinationPath: 's3://backups/',
          endpointURL: 'https://minio.backup.svc:9000',
          endpointCA: { name: 'minio-ca', key: 'ca.crt' },
          s3Credentials: { inheritFromIAMRole: true },
          wal: { compression: 'gzip', maxParallel: 4 },
          data: { jobs: 2 },
        },
      },
    },
  };

  function buildFromRich(targetNamespace: string) {
    const backup = backupFacts();
    const request = parseRestoreRequest(
      { backupName: backup.name, targetNamespace, targetName: 'alpha-restore' },
      source,
    );
    const plan = planRestore({ request, source, sourceCluster: richSource, backup, window });
    return { plan, manifest: buildRestoreManifest(plan, richSource) };
  }

  it('takes only the allowlisted fields, sizing volumes from the PVC template', () => {
    const spec = buildFromRich('team-a').manifest.spec as JsonObject;
    expect(spec).toEqual({
      instances: 2,
      imageCatalogRef: {
        apiGroup: 'postgresql.cnpg.io',
        kind: 'ImageCatalog',
        name: 'pg',
        major: 17,
      },
      postgresql: { parameters: { max_connections: '200', shared_buffers: '1GB' } },
      storage: { size: '20Gi', storageClass: 'fast' },
      walStorage: { size: '5Gi' },
      resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { memory: '2Gi' } },
      bootstrap: { recovery: { backup: { name: 'alpha-backup-20260324' } } },
    });
    expect(validateCluster(buildFromRich('team-a').manifest)).toEqual([]);
  });

  it('reads another namespace with the recovery settings of the object store only', () => {
    const { plan, manifest } = buildFromRich('team-b');
    const [external] = (manifest.spec as JsonObject).externalClusters as JsonObject[];
    expect(external).toEqual({
      name: 'alpha',
      barmanObjectStore: {
        destinationPath: 's3://backups/',
        endpointURL: 'https://minio.backup.svc:9000',
        endpointCA: { name: 'minio-ca', key: 'ca.crt' },
        s3Credentials: { inheritFromIAMRole: true },
        serverName: 'alpha',
        wal: { maxParallel: 4 },
      },
    });
    expect(validateCluster(manifest)).toEqual([]);
    expect(checkRecoveryRules(manifest)).toEqual([]);
    expect(restoreWarnings(plan, richSource)).toEqual([
      'WAL archiving and backups are not configured on the new cluster ' +
        '"alpha-restore" in namespace "team-b": configure them with a ' +
        "destination or server name of its own (not the source's) before " +
        'relying on it',
      "the object store credentials referenced by the source's backup " +
        'configuration must exist in namespace "team-b", under the same ' +
        'names',
      "the object store's CA certificate referenced by the source " +
        'must exist in namespace "team-b"',
      'no point in time was given: recovery starts from backup "alpha-backup-20260324" ' +
        'and replays all WAL archived after it, so the new cluster reaches ' +
        'the latest state in the archive',
      'the ImageCatalog "pg" must exist in namespace "team-b"',
    ]);
    const preview = manifestPreview(manifest);
    expect(preview).toContain('endpointCA: <redacted>');
    expect(preview).not.toMatch(/minio-ca|minio\.backup\.svc/);
  });
});
