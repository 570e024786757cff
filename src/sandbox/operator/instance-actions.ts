// Pod and PVC writes of the cluster controller: one lifecycle step each.
import { rfc3339 } from './cnpg';
import type { KubeObject } from '../store/types';
import { deleteIfPresent, isConflict, patchObject, patchStatus } from './client';
import type { OperatorContext } from './context';
import {
  boundPvcStatus,
  buildInstancePod,
  buildPvc,
  clusterImage,
  instancePvcSpecs,
  pendingPodStatus,
  roleLabels,
  runningPodStatus,
  type InstanceRole,
} from './instances';

/** Creates the instance's PVCs (when missing) and its Pod, Pending. */
export function createInstance(
  ctx: OperatorContext,
  options: { cluster: KubeObject; podName: string; role: InstanceRole },
): void {
  const { cluster, podName } = options;
  const namespace = cluster.metadata.namespace ?? 'default';
  const pvcResource = ctx.resources.pvcs;
  if (pvcResource !== undefined) {
    for (const spec of instancePvcSpecs(cluster, podName)) {
      if (ctx.store.get(pvcResource, namespace, spec.name) !== undefined) continue;
      ctx.store.create(pvcResource, buildPvc({ cluster, podName, spec }));
      patchStatus({
        store: ctx.store,
        resource: pvcResource,
        namespace,
        name: spec.name,
        mutate: (status) => void Object.assign(status, boundPvcStatus(spec.size)),
      });
    }
  }

  try {
    ctx.store.create(ctx.resources.pods, buildInstancePod(options));
  } catch (error) {
    if (!isConflict(error)) throw error;
    return;
  }
  const now = rfc3339(ctx.now());
  patchStatus({
    store: ctx.store,
    resource: ctx.resources.pods,
    namespace,
    name: podName,
    mutate: (status) => void Object.assign(status, pendingPodStatus(now)),
  });
}

/** Plays the kubelet: the container started, the readiness probe answers as asked. */
export function startInstance(
  ctx: OperatorContext,
  options: { cluster: KubeObject; pod: KubeObject; isReady: boolean },
): void {
  const existingIp = options.pod.status?.podIP;
  const podIP = typeof existingIp === 'string' ? existingIp : ctx.ips.allocate();
  const startedAt =
    typeof options.pod.status?.startTime === 'string'
      ? options.pod.status.startTime
      : rfc3339(ctx.now());
  patchStatus({
    store: ctx.store,
    resource: ctx.resources.pods,
    namespace: options.pod.metadata.namespace ?? 'default',
    name: options.pod.metadata.name,
    mutate: (status) => {
      for (const key of Object.keys(status)) delete status[key];
      const image = clusterImage(options.cluster);
      Object.assign(
        status,
        runningPodStatus({ podIP, isReady: options.isReady, startedAt, image }),
      );
    },
  });
}

export function relabelInstance(
  ctx: OperatorContext,
  options: { pod: KubeObject; role: InstanceRole },
): void {
  patchObject({
    store: ctx.store,
    resource: ctx.resources.pods,
    namespace: options.pod.metadata.namespace ?? 'default',
    name: options.pod.metadata.name,
    mutate: (pod) => {
      pod.metadata.labels = { ...pod.metadata.labels, ...roleLabels(options.role) };
    },
  });
}

/** Removes an instance for good: its Pod and PVCs (a scale-down). */
export function removeInstance(
  ctx: OperatorContext,
  options: { cluster: KubeObject; podName: string },
): void {
  const namespace = options.cluster.metadata.namespace ?? 'default';
  deleteIfPresent({
    store: ctx.store,
    resource: ctx.resources.pods,
    namespace,
    name: options.podName,
  });
  const pvcResource = ctx.resources.pvcs;
  if (pvcResource === undefined) return;
  for (const spec of instancePvcSpecs(options.cluster, options.podName)) {
    deleteIfPresent({ store: ctx.store, resource: pvcResource, namespace, name: spec.name });
  }
}
