// Small builders of raw Kubernetes objects, shaped like what the API server
// (or the sandbox) returns, for store and reflector tests.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

type Json = Record<string, unknown>;

let nextUid = 1;

/** Metadata with a fresh uid and creation time. */
export function meta(name: string, extra: Json = {}): Json {
  return {
    name,
    namespace: 'team-a',
    uid: `uid-${nextUid++}`,
    resourceVersion: '100',
    creationTimestamp: '2026-03-24T12:00:00Z',
    ...extra,
  };
}

/** A healthy three-instance Cluster with an in-tree object store. */
export function rawCluster(
  name = 'alpha',
  overrides: { metadata?: Json; spec?: Json; status?: Json } = {},
): Json {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: meta(name, overrides.metadata),
    spec: {
      instances: 3,
      imageName: 'ghcr.io/cloudnative-pg/postgresql:16.3',
      backup: {
        target: 'primary',
        barmanObjectStore: {
          destinationPath: 's3://backups/',
          endpointURL: 'http://minio:9000',
          s3Credentials: { accessKeyId: { name: 'minio', key: 'ACCESS_KEY_ID' } },
        },
      },
      ...overrides.spec,
    },
    status: {
      phase: 'Cluster in healthy state',
      readyInstances: 3,
      currentPrimary: `${name}-1`,
      targetPrimary: `${name}-1`,
      image: 'ghcr.io/cloudnative-pg/postgresql:16.3',
      instanceNames: [`${name}-1`, `${name}-2`, `${name}-3`],
      instancesStatus: { healthy: [`${name}-1`, `${name}-2`, `${name}-3`] },
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'ClusterIsReady',
          message: 'Cluster is Ready',
          lastTransitionTime: '2026-03-24T12:05:00Z',
        },
      ],
      firstRecoverabilityPoint: '2026-03-24T10:00:00Z',
      lastSuccessfulBackup: '2026-03-24T11:30:00Z',
      ...overrides.status,
    },
  };
}

/** A Backup of `cluster`. */
export function rawBackup(
  name: string,
  cluster = 'alpha',
  overrides: { metadata?: Json; spec?: Json; status?: Json } = {},
): Json {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Backup',
    metadata: meta(name, overrides.metadata),
    spec: { cluster: { name: cluster }, method: 'barmanObjectStore', ...overrides.spec },
    status: {
      phase: 'completed',
      startedAt: '2026-03-24T11:00:00Z',
      stoppedAt: '2026-03-24T11:05:00Z',
      ...overrides.status,
    },
  };
}

/** An instance Pod of `cluster`. */
export function rawPod(
  name: string,
  cluster = 'alpha',
  overrides: { metadata?: Json; status?: Json; role?: string } = {},
): Json {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(name, {
      labels: {
        'cnpg.io/cluster': cluster,
        'cnpg.io/instanceRole': overrides.role ?? 'replica',
        'cnpg.io/podRole': 'instance',
      },
      ...overrides.metadata,
    }),
    spec: {
      containers: [
        {
          name: 'postgres',
          ports: [
            { name: 'postgresql', containerPort: 5432 },
            { name: 'metrics', containerPort: 9187 },
          ],
        },
      ],
    },
    status: {
      phase: 'Running',
      podIP: '10.244.0.17',
      conditions: [{ type: 'Ready', status: 'True' }],
      ...overrides.status,
    },
  };
}

/** A PGDATA PersistentVolumeClaim of `cluster`. */
export function rawPvc(name: string, cluster = 'alpha'): Json {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: meta(name, {
      labels: {
        'cnpg.io/cluster': cluster,
        'cnpg.io/instanceName': name,
        'cnpg.io/pvcRole': 'PG_DATA',
      },
    }),
    spec: { resources: { requests: { storage: '1Gi' } } },
    status: { phase: 'Bound', capacity: { storage: '2Gi' } },
  };
}

/** Where the CNPG reference files live (samples, CRDs). */
export function cnpgReferencePath(...parts: string[]): string {
  const root =
    process.env.DECKHAND_CNPG_REFERENCE ??
    path.resolve(import.meta.dirname, '../../../shared/cnpg-reference');
  return path.join(root, ...parts);
}

/** The documents of a reference YAML file, each given a namespace and uid as the API server would. */
export function readSample(...parts: string[]): Json[] {
  const text = readFileSync(cnpgReferencePath(...parts), 'utf8');
  return parseAllDocuments(text).map((document) => {
    const object = document.toJSON() as Json;
    const metadata = (object.metadata ?? {}) as Json;
    object.metadata = { ...meta(String(metadata.name)), ...metadata };
    return object;
  });
}
