// Builders for tests of the actions: store projections with defaults, Backup
// facts, and source Clusters made from the real CNPG samples in the shared
// reference folder (read, never copied into the project).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { ClusterProjection } from '../../store/types';
import type { BackupFacts } from '../backup-object';
import { ActionError } from '../errors';
import type { JsonObject } from '../json';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** The shared CNPG reference folder (env DECKHAND_CNPG_REFERENCE). */
export function cnpgReferenceDir(): string {
  return process.env.DECKHAND_CNPG_REFERENCE ?? path.resolve(repoRoot, '../shared/cnpg-reference');
}

export function loadReferenceYaml(relativePath: string): JsonObject {
  return parse(readFileSync(path.join(cnpgReferenceDir(), relativePath), 'utf8')) as JsonObject;
}

/** Source Clusters by backup configuration, each from the matching CNPG sample. */
export const sourceSamples = {
  barmanObjectStore: 'samples/cluster-example-with-backup.yaml',
  volumeSnapshot: 'samples/cluster-example-with-volume-snapshot.yaml',
  plugin: 'plugin-barman-cloud/cluster-example.yaml',
} as const;

/** A CNPG sample Cluster renamed to `namespace/name`. */
export function sampleCluster(
  kind: keyof typeof sourceSamples,
  key: { namespace: string; name: string },
): JsonObject {
  const sample = loadReferenceYaml(sourceSamples[kind]);
  const metadata = (sample.metadata ?? {}) as JsonObject;
  return { ...sample, metadata: { ...metadata, namespace: key.namespace, name: key.name } };
}

export function backupFacts(overrides: Partial<BackupFacts> = {}): BackupFacts {
  return {
    namespace: 'team-a',
    name: 'alpha-backup-20260324',
    clusterName: 'alpha',
    phase: 'completed',
    method: 'barmanObjectStore',
    target: 'primary',
    backupId: '20260324T110000',
    serverName: 'alpha',
    createdAt: '2026-03-24T11:00:00Z',
    startedAt: '2026-03-24T11:00:00Z',
    stoppedAt: '2026-03-24T11:05:00Z',
    ...overrides,
  };
}

export function clusterProjection(overrides: Partial<ClusterProjection> = {}): ClusterProjection {
  return {
    namespace: 'team-a',
    name: 'alpha',
    uid: 'uid-alpha',
    createdAt: '2026-03-24T12:00:00Z',
    desiredInstances: 3,
    readyInstances: 0,
    phase: '',
    phaseReason: '',
    currentPrimary: '',
    targetPrimary: '',
    image: 'ghcr.io/cloudnative-pg/postgresql:17.6',
    instanceNames: [],
    instancesStatus: {},
    conditions: [],
    firstRecoverabilityPointByMethod: {},
    lastSuccessfulBackupByMethod: {},
    hasBarmanObjectStore: false,
    hasVolumeSnapshot: false,
    plugins: [],
    isMonitoringTls: false,
    isRecoveryBootstrap: false,
    labels: {},
    annotations: {},
    ...overrides,
  };
}

/** The status and text of the ActionError `action` throws; fails when it throws none. */
export function refusalOf(action: () => unknown): { status: number; text: string } {
  try {
    action();
  } catch (error) {
    if (error instanceof ActionError) return { status: error.statusCode, text: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}
