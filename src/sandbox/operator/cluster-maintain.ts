// A bootstrapped Cluster: failover when the primary's Pod goes away, Pods
// recreated on their existing PVCs, replicas added and removed to match
// spec.instances, then the status summary (`Cluster in healthy state` only when
// every instance is ready). Each call performs at most one paced step.
import type { KubeObject } from '../store/types';
import { phase, sandboxAnnotations, rfc3339 } from './cnpg';
import type { OperatorContext } from './context';
import { clusterKey } from './context';
import { setPhase, updateClusterStatus } from './cluster-status';
import { syncClusterStatus } from './cluster-summary';
import { createInstance, relabelInstance, removeInstance, startInstance } from './instance-actions';
import { desiredInstances, instanceSerial, isPodReady } from './instances';

interface View {
  cluster: KubeObject;
  pods: Map<string, KubeObject>;
  instanceNames: string[];
  currentPrimary: string;
}

export function maintainStep(ctx: OperatorContext, cluster: KubeObject): boolean {
  const view: View = {
    cluster,
    pods: ctx.index.podsOf(clusterKey(cluster)),
    instanceNames: stringList(cluster.status?.instanceNames),
    currentPrimary: String(cluster.status?.currentPrimary ?? ''),
  };
  // Counts first, from the same view the steps act on, so readyInstances
  // follows every pod that comes up; the phase only once no step is left.
  const summary = { cluster, pods: view.pods, instanceNames: view.instanceNames };
  syncClusterStatus(ctx, { ...summary, scope: 'counts' });
  const steps = [failoverStep, recreateStep, startStep, readinessStep, scaleUpStep, scaleDownStep];
  if (steps.some((step) => step(ctx, view))) return true;
  syncClusterStatus(ctx, { ...summary, scope: 'all' });
  return false;
}

function isGone(view: View, podName: string): boolean {
  const pod = view.pods.get(podName);
  return pod === undefined || pod.metadata.deletionTimestamp !== undefined;
}

/** The primary's Pod is gone or going: promote the most suitable ready replica. */
function failoverStep(ctx: OperatorContext, view: View): boolean {
  if (!isGone(view, view.currentPrimary)) return false;
  const candidate = view.instanceNames
    .filter((name) => name !== view.currentPrimary)
    .map((name) => view.pods.get(name))
    .find((pod) => pod !== undefined && isPodReady(pod));
  if (candidate === undefined) return false;

  const targetPrimary = candidate.metadata.name;
  if (view.cluster.status?.phase !== phase.failOver) {
    ctx.logger.info({ cluster: clusterKey(view.cluster), targetPrimary }, 'failing over');
    return updateClusterStatus(ctx, {
      cluster: view.cluster,
      mutate: (status, now) => {
        setPhase(
          status,
          phase.failOver,
          `Failing over from ${view.currentPrimary} to ${targetPrimary}`,
        );
        status.targetPrimary = targetPrimary;
        status.targetPrimaryTimestamp = rfc3339(now);
        status.currentPrimaryFailingSinceTimestamp = rfc3339(now);
      },
    });
  }
  relabelInstance(ctx, { pod: candidate, role: 'primary' });
  return updateClusterStatus(ctx, {
    cluster: view.cluster,
    mutate: (status, now) => {
      status.currentPrimary = targetPrimary;
      status.currentPrimaryTimestamp = rfc3339(now);
      status.timelineID = Number(status.timelineID ?? 1) + 1;
      delete status.currentPrimaryFailingSinceTimestamp;
    },
  });
}

/** An instance whose Pod was deleted comes back under the same name, on its PVC. */
function recreateStep(ctx: OperatorContext, view: View): boolean {
  const missing = view.instanceNames.find((name) => !view.pods.has(name));
  if (missing === undefined) return false;
  const role = missing === view.currentPrimary ? 'primary' : 'replica';
  createInstance(ctx, { cluster: view.cluster, podName: missing, role });
  updateClusterStatus(ctx, {
    cluster: view.cluster,
    mutate: (status) => setPhase(status, phase.waitingForInstances, ''),
  });
  return true;
}

function startStep(ctx: OperatorContext, view: View): boolean {
  const pending = [...view.pods.values()].find(
    (pod) => pod.status?.phase !== 'Running' && pod.metadata.deletionTimestamp === undefined,
  );
  if (pending === undefined) return false;
  const isReady = pending.metadata.name !== failedInstanceOf(view.cluster);
  startInstance(ctx, { cluster: view.cluster, pod: pending, isReady });
  return true;
}

/** Readiness follows the sandbox's failed-instance knob, both ways. */
function readinessStep(ctx: OperatorContext, view: View): boolean {
  const failed = failedInstanceOf(view.cluster);
  for (const pod of view.pods.values()) {
    if (pod.status?.phase !== 'Running' || pod.metadata.deletionTimestamp !== undefined) continue;
    const shouldBeReady = pod.metadata.name !== failed;
    if (isPodReady(pod) === shouldBeReady) continue;
    startInstance(ctx, { cluster: view.cluster, pod, isReady: shouldBeReady });
    return true;
  }
  return false;
}

function scaleUpStep(ctx: OperatorContext, view: View): boolean {
  const desired = desiredInstances(view.cluster);
  if (view.instanceNames.length >= desired) return false;
  if (view.instanceNames.some((name) => view.pods.get(name)?.status?.phase !== 'Running')) {
    return false;
  }
  const serial = Number(view.cluster.status?.latestGeneratedNode ?? view.instanceNames.length) + 1;
  const podName = `${view.cluster.metadata.name}-${serial}`;
  createInstance(ctx, { cluster: view.cluster, podName, role: 'replica' });
  return updateClusterStatus(ctx, {
    cluster: view.cluster,
    mutate: (status) => {
      setPhase(status, phase.creatingReplica, `Creating replica ${podName}-join`);
      status.latestGeneratedNode = serial;
      status.instanceNames = [...view.instanceNames, podName].sort(bySerial(view.cluster));
      status.instances = view.instanceNames.length + 1;
    },
  });
}

/** CNPG removes the replica with the highest serial first. */
function scaleDownStep(ctx: OperatorContext, view: View): boolean {
  const desired = desiredInstances(view.cluster);
  if (view.instanceNames.length <= desired) return false;
  const victim = [...view.instanceNames]
    .sort(bySerial(view.cluster))
    .reverse()
    .find((name) => name !== view.currentPrimary);
  if (victim === undefined) return false;
  removeInstance(ctx, { cluster: view.cluster, podName: victim });
  return updateClusterStatus(ctx, {
    cluster: view.cluster,
    mutate: (status) => {
      status.instanceNames = view.instanceNames.filter((name) => name !== victim);
      status.instances = view.instanceNames.length - 1;
    },
  });
}

function failedInstanceOf(cluster: KubeObject): string | undefined {
  return cluster.metadata.annotations?.[sandboxAnnotations.failedInstance];
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item) => typeof item === 'string') : [];
}

function bySerial(cluster: KubeObject): (a: string, b: string) => number {
  return (a, b) =>
    (instanceSerial(cluster.metadata.name, a) ?? 0) -
    (instanceSerial(cluster.metadata.name, b) ?? 0);
}
