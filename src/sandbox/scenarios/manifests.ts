// Small builders for the manifests scenarios create, with the defaults a
// person would write by hand.
import type { KubeObject } from '../store/types';

export const cnpgApiVersion = 'postgresql.cnpg.io/v1';

export function namespace(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

export function objectStoreBackup(path: string): Record<string, unknown> {
  return {
    barmanObjectStore: {
      destinationPath: path,
      endpointURL: 'http://minio.minio.svc:9000',
      s3Credentials: {
        accessKeyId: { name: 'minio', key: 'ACCESS_KEY_ID' },
        secretAccessKey: { name: 'minio', key: 'ACCESS_SECRET_KEY' },
      },
      wal: { compression: 'gzip' },
    },
    retentionPolicy: '30d',
  };
}

export function cluster(options: {
  namespace: string;
  name: string;
  instances: number;
  size?: string;
  spec?: Record<string, unknown>;
  annotations?: Record<string, string>;
}): KubeObject {
  return {
    apiVersion: cnpgApiVersion,
    kind: 'Cluster',
    metadata: {
      name: options.name,
      namespace: options.namespace,
      ...(options.annotations === undefined ? {} : { annotations: options.annotations }),
    },
    spec: {
      instances: options.instances,
      storage: { size: options.size ?? '1Gi' },
      ...options.spec,
    },
  };
}

export function backup(options: {
  namespace: string;
  name: string;
  cluster: string;
  method?: 'barmanObjectStore' | 'volumeSnapshot' | 'plugin';
}): KubeObject {
  const isPlugin = options.method === 'plugin';
  return {
    apiVersion: cnpgApiVersion,
    kind: 'Backup',
    metadata: { name: options.name, namespace: options.namespace },
    spec: {
      cluster: { name: options.cluster },
      ...(options.method === undefined ? {} : { method: options.method }),
      ...(isPlugin ? { pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' } } : {}),
    },
  };
}

export function scheduledBackup(options: {
  namespace: string;
  name: string;
  cluster: string;
  schedule: string;
  immediate?: boolean;
  method?: 'barmanObjectStore' | 'volumeSnapshot' | 'plugin';
}): KubeObject {
  return {
    apiVersion: cnpgApiVersion,
    kind: 'ScheduledBackup',
    metadata: { name: options.name, namespace: options.namespace },
    spec: {
      schedule: options.schedule,
      cluster: { name: options.cluster },
      backupOwnerReference: 'self',
      ...(options.immediate === undefined ? {} : { immediate: options.immediate }),
      ...(options.method === undefined ? {} : { method: options.method }),
      ...(options.method === 'plugin'
        ? { pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' } }
        : {}),
    },
  };
}

export function barmanObjectStore(options: {
  namespace: string;
  name: string;
  path: string;
}): KubeObject {
  return {
    apiVersion: 'barmancloud.cnpg.io/v1',
    kind: 'ObjectStore',
    metadata: { name: options.name, namespace: options.namespace },
    spec: {
      retentionPolicy: '30d',
      configuration: {
        destinationPath: options.path,
        endpointURL: 'http://minio.minio.svc:9000',
        s3Credentials: {
          accessKeyId: { name: 'minio', key: 'ACCESS_KEY_ID' },
          secretAccessKey: { name: 'minio', key: 'ACCESS_SECRET_KEY' },
        },
        wal: { compression: 'gzip' },
      },
    },
  };
}
