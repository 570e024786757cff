// What one simulated instance looks like at a moment, derived from the
// Cluster, its Pods and the seed: the numbers both the query metrics and the
// collector block are built from, so they agree with each other and with the
// cluster's topology.
import type { KubeObject } from '../store/types';
import { sandboxAnnotations } from '../operator/cnpg';
import { isPodReady } from '../operator/instances';
import { between, quantityBytes, unit } from './signal';

export interface InstanceView {
  cluster: KubeObject;
  pod: KubeObject;
  /** Every instance Pod of the cluster, this one included. */
  pods: KubeObject[];
  seed: number;
  now: Date;
}

export interface InstanceState {
  clusterName: string;
  podName: string;
  isPrimary: boolean;
  isUp: boolean;
  seconds: number;
  key: string;
  maxConnections: number;
  connections: number;
  lagSeconds: number;
  pvcBytes: number;
  databaseBytes: number;
  readyStandbys: KubeObject[];
  stress: Set<string>;
  archiveError: string | undefined;
  startedAtSeconds: number;
  clusterCreatedSeconds: number;
  postgresVersion: string;
}

export function instanceState(view: InstanceView): InstanceState {
  const { cluster, pod } = view;
  const key = `${view.seed}/${pod.metadata.namespace ?? ''}/${pod.metadata.name}`;
  const seconds = view.now.getTime() / 1000;
  const isPrimary = pod.metadata.labels?.['cnpg.io/instanceRole'] === 'primary';
  const stress = new Set(
    (cluster.metadata.annotations?.[sandboxAnnotations.stress] ?? '')
      .split(',')
      .map((entry) => entry.trim()),
  );
  const maxConnections = maxConnectionsOf(cluster);
  const pvcBytes = quantityBytes(storageSize(cluster)) ?? 2 ** 30;
  const connectionShare = stress.has('connections')
    ? between({ key: `${key}/conn`, seconds, periodSeconds: 120 }, 0.82, 0.97)
    : between({ key: `${key}/conn`, seconds }, 0.08, 0.4);
  const diskShare = stress.has('disk')
    ? between({ key: `${key}/disk`, seconds, periodSeconds: 900 }, 0.84, 0.93)
    : 0.12 +
      0.2 * unit(`${key}/disk`) +
      between({ key: `${key}/disk`, seconds, periodSeconds: 900 }, 0, 0.05);

  return {
    clusterName: cluster.metadata.name,
    podName: pod.metadata.name,
    isPrimary,
    isUp: isPodReady(pod),
    seconds,
    key,
    maxConnections,
    connections: Math.max(3, Math.round(maxConnections * connectionShare)),
    lagSeconds: isPrimary ? 0 : replicaLag({ key, seconds, isStressed: stress.has('lag') }),
    pvcBytes,
    databaseBytes: Math.round(pvcBytes * diskShare),
    readyStandbys: view.pods.filter(
      (other) =>
        other !== pod &&
        other.metadata.labels?.['cnpg.io/instanceRole'] !== 'primary' &&
        isPodReady(other),
    ),
    stress,
    archiveError: cluster.metadata.annotations?.[sandboxAnnotations.archivingError],
    startedAtSeconds: epochSeconds(pod.status?.startTime) ?? seconds - 3600,
    clusterCreatedSeconds: epochSeconds(cluster.metadata.creationTimestamp) ?? seconds - 86_400,
    postgresVersion: postgresVersionOf(
      String(cluster.status?.image ?? cluster.spec?.imageName ?? ''),
    ),
  };
}

/** Mostly caught up (0), with short bursts of a second or two; 15-45 s when stressed. */
function replicaLag(options: { key: string; seconds: number; isStressed: boolean }): number {
  if (options.isStressed) {
    return (
      Math.round(
        between(
          { key: `${options.key}/lag`, seconds: options.seconds, periodSeconds: 180 },
          15,
          45,
        ) * 10,
      ) / 10
    );
  }
  const level = between(
    { key: `${options.key}/lag`, seconds: options.seconds, periodSeconds: 90 },
    -2,
    2,
  );
  return level <= 0 ? 0 : Math.round(level * 100) / 100;
}

function maxConnectionsOf(cluster: KubeObject): number {
  const postgresql = cluster.spec?.postgresql;
  const parameters =
    typeof postgresql === 'object' && postgresql !== null
      ? (postgresql as Record<string, unknown>).parameters
      : undefined;
  const value =
    typeof parameters === 'object' && parameters !== null
      ? Number((parameters as Record<string, unknown>).max_connections)
      : Number.NaN;
  return Number.isInteger(value) && value > 0 ? value : 100;
}

function storageSize(cluster: KubeObject): unknown {
  const storage = cluster.spec?.storage;
  return typeof storage === 'object' && storage !== null
    ? (storage as Record<string, unknown>).size
    : undefined;
}

function epochSeconds(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed / 1000;
}

/** `ghcr.io/cloudnative-pg/postgresql:17.6` → `17.6`; defaults to 17.6 for other tags. */
function postgresVersionOf(image: string): string {
  const match = /:(\d+(?:\.\d+)?)/.exec(image);
  return match?.[1] ?? '17.6';
}
