// Instance Pods and their PVCs, shaped as CNPG creates them (pkg/specs/pods.go,
// pkg/specs/pvcs.go): the labels clients select on, the full pod spec (see
// pod-template.ts) with the `metrics` port, and an owner reference to the
// Cluster.
import type { KubeObject } from '../store/types';
import { annotations, defaultImage, labels } from './cnpg';
import { instancePodSpec, operatorVersion } from './pod-template';
import { record, text } from './client';

export type InstanceRole = 'primary' | 'replica';

export function clusterImage(cluster: KubeObject): string {
  return text(cluster.spec?.imageName) ?? defaultImage;
}

function ownerReference(cluster: KubeObject) {
  return {
    apiVersion: cluster.apiVersion,
    kind: cluster.kind,
    name: cluster.metadata.name,
    uid: cluster.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function roleLabels(role: InstanceRole): Record<string, string> {
  return { [labels.instanceRole]: role, [labels.legacyRole]: role };
}

export function buildInstancePod(options: {
  cluster: KubeObject;
  podName: string;
  role: InstanceRole;
}): KubeObject {
  const { cluster, podName, role } = options;
  const namespace = cluster.metadata.namespace ?? 'default';
  const spec = instancePodSpec({
    podName,
    clusterName: cluster.metadata.name,
    namespace,
    image: clusterImage(cluster),
    stopDelaySeconds: stopDelaySeconds(cluster),
  });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: podName,
      namespace,
      labels: {
        [labels.cluster]: cluster.metadata.name,
        [labels.instanceName]: podName,
        [labels.podRole]: 'instance',
        ...roleLabels(role),
      },
      // CNPG keeps the spec it generated, serialized, to detect drift later.
      annotations: {
        [annotations.podSpec]: JSON.stringify(spec),
        [annotations.operatorVersion]: operatorVersion,
      },
      ownerReferences: [ownerReference(cluster)],
    },
    spec,
  };
}

/** `spec.stopDelay` (CNPG's default is 1800 s), the pods' termination grace period. */
function stopDelaySeconds(cluster: KubeObject): number {
  const value = cluster.spec?.stopDelay;
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : 1800;
}

/** Pod status of a started instance; `isReady` false models a failing readiness probe. */
export function runningPodStatus(options: {
  podIP: string;
  isReady: boolean;
  startedAt: string;
  image: string;
}): Record<string, unknown> {
  const readiness = options.isReady ? 'True' : 'False';
  return {
    phase: 'Running',
    podIP: options.podIP,
    podIPs: [{ ip: options.podIP }],
    hostIP: '127.0.0.1',
    startTime: options.startedAt,
    conditions: [
      { type: 'Initialized', status: 'True', lastTransitionTime: options.startedAt },
      { type: 'ContainersReady', status: readiness, lastTransitionTime: options.startedAt },
      { type: 'Ready', status: readiness, lastTransitionTime: options.startedAt },
      { type: 'PodScheduled', status: 'True', lastTransitionTime: options.startedAt },
    ],
    containerStatuses: [
      {
        name: 'postgres',
        image: options.image,
        ready: options.isReady,
        restartCount: 0,
        started: true,
        state: { running: { startedAt: options.startedAt } },
      },
    ],
  };
}

export function pendingPodStatus(now: string): Record<string, unknown> {
  return {
    phase: 'Pending',
    conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: now }],
  };
}

export function isPodReady(pod: KubeObject): boolean {
  const status = pod.status;
  if (status?.phase !== 'Running' || pod.metadata.deletionTimestamp !== undefined) return false;
  const list = Array.isArray(status.conditions) ? status.conditions : [];
  return list.some((entry) => record(entry)?.type === 'Ready' && record(entry)?.status === 'True');
}

export interface PvcSpec {
  name: string;
  role: 'PG_DATA' | 'PG_WAL';
  size: string;
  storageClass: string | undefined;
}

/** The PVCs an instance needs: PGDATA named as the pod, plus `<pod>-wal` with walStorage. */
export function instancePvcSpecs(cluster: KubeObject, podName: string): PvcSpec[] {
  const storage = record(cluster.spec?.storage);
  const walStorage = record(cluster.spec?.walStorage);
  const specs: PvcSpec[] = [
    {
      name: podName,
      role: 'PG_DATA',
      size: text(storage?.size) ?? '1Gi',
      storageClass: text(storage?.storageClass),
    },
  ];
  if (walStorage !== undefined) {
    specs.push({
      name: `${podName}-wal`,
      role: 'PG_WAL',
      size: text(walStorage.size) ?? '1Gi',
      storageClass: text(walStorage.storageClass),
    });
  }
  return specs;
}

export function buildPvc(options: {
  cluster: KubeObject;
  podName: string;
  spec: PvcSpec;
}): KubeObject {
  const { cluster, podName, spec } = options;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: spec.name,
      namespace: cluster.metadata.namespace ?? 'default',
      labels: {
        [labels.cluster]: cluster.metadata.name,
        [labels.instanceName]: podName,
        [labels.pvcRole]: spec.role,
      },
      annotations: {
        [annotations.nodeSerial]: String(instanceSerial(cluster.metadata.name, podName) ?? 1),
        [annotations.operatorVersion]: operatorVersion,
      },
      ownerReferences: [ownerReference(cluster)],
    },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: spec.size } },
      ...(spec.storageClass === undefined ? {} : { storageClassName: spec.storageClass }),
      volumeMode: 'Filesystem',
    },
  };
}

export function boundPvcStatus(size: string): Record<string, unknown> {
  return { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: size } };
}

/** Instance serial from a pod name `<cluster>-<n>`, or undefined for other names. */
export function instanceSerial(clusterName: string, podName: string): number | undefined {
  if (!podName.startsWith(`${clusterName}-`)) return undefined;
  const rest = podName.slice(clusterName.length + 1);
  return /^[1-9][0-9]*$/.test(rest) ? Number(rest) : undefined;
}

/**
 * Instances the sandbox will run for a Cluster: spec.instances, at most 32.
 * The CRD sets no upper bound; the cap keeps a mistyped or hostile value from
 * filling the sandbox with pods.
 */
export const maxInstances = 32;

export function desiredInstances(cluster: KubeObject): number {
  const value = cluster.spec?.instances;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) return 1;
  return Math.min(value, maxInstances);
}
