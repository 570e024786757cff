// The benchmark's stand-in for the store: 1,000 Clusters of three instance
// pods each, all pointing at loopback exporters, and never changing.
import type {
  ClusterProjection,
  KindStatus,
  PodProjection,
  ProjectionByKind,
  StoreKind,
  StoreReader,
} from '../src/server/store/types';

/** A read-only store holding the benchmark's clusters and pods. */
class BenchStore implements StoreReader {
  readonly revision = 1;
  constructor(
    private readonly clusters: ClusterProjection[],
    private readonly podsByCluster: Map<string, PodProjection[]>,
  ) {}
  get<K extends StoreKind>(
    kind: K,
    namespace: string,
    name: string,
  ): ProjectionByKind[K] | undefined {
    if (kind === 'clusters') {
      return this.clusters.find((c) => c.name === name) as ProjectionByKind[K] | undefined;
    }
    if (kind !== 'pods') return undefined;
    const cluster = name.slice(0, name.lastIndexOf('-'));
    const pods = this.podsByCluster.get(`${namespace}/${cluster}`) ?? [];
    return pods.find((pod) => pod.name === name) as ProjectionByKind[K] | undefined;
  }
  list<K extends StoreKind>(kind: K): ProjectionByKind[K][] {
    return (kind === 'clusters' ? this.clusters : []) as ProjectionByKind[K][];
  }
  listByCluster<K extends Exclude<StoreKind, 'clusters' | 'objectstores'>>(
    kind: K,
    namespace: string,
    clusterName: string,
  ): ProjectionByKind[K][] {
    if (kind !== 'pods') return [];
    return (this.podsByCluster.get(`${namespace}/${clusterName}`) ?? []) as ProjectionByKind[K][];
  }
  onChange(): () => void {
    return () => undefined;
  }
  kindStatuses(): KindStatus[] {
    return [];
  }
}

export function buildStore(options: { ports: number[]; instances: number }): BenchStore {
  const { ports, instances } = options;
  const clusters: ClusterProjection[] = [];
  const podsByCluster = new Map<string, PodProjection[]>();
  for (let c = 0; c < ports.length / instances; c += 1) {
    const name = `bench-${c}`;
    const podNames = Array.from({ length: instances }, (_, i) => `${name}-${i + 1}`);
    clusters.push(aCluster(name, podNames));
    podsByCluster.set(
      `bench/${name}`,
      podNames.map((podName, i) => ({
        namespace: 'bench',
        name: podName,
        uid: `uid-${podName}`,
        clusterName: name,
        role: i === 0 ? 'primary' : 'replica',
        phase: 'Running',
        isReady: true,
        isTerminating: false,
        podIP: '127.0.0.1',
        metricsPort: ports[c * instances + i] ?? 0,
      })),
    );
  }
  return new BenchStore(clusters, podsByCluster);
}

function aCluster(name: string, instanceNames: string[]): ClusterProjection {
  const instances = instanceNames.length;
  return {
    namespace: 'bench',
    name,
    uid: `uid-${name}`,
    createdAt: '2026-01-01T00:00:00Z',
    desiredInstances: instances,
    readyInstances: instances,
    phase: 'Cluster in healthy state',
    phaseReason: '',
    currentPrimary: instanceNames[0] ?? '',
    targetPrimary: instanceNames[0] ?? '',
    image: 'ghcr.io/cloudnative-pg/postgresql:17',
    instanceNames,
    instancesStatus: { healthy: instanceNames },
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
  };
}
