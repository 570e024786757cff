// The scale scenario: N healthy clusters written straight into their final
// state (3 instances with Pods and PVCs, 5 completed backups, 1 schedule each),
// as if the operator had run them for hours. It exists to measure Deckhand
// against 10,000 clusters, so it skips the lifecycle and writes each object
// once, status included: the store keeps a status given to create, and a
// separate status write per object would double the seeding time (and the
// resourceVersions) for no state a reader could tell apart.
import { bookkeepingStatus } from '../operator/cluster-bookkeeping';
import type { KubeObject, ObjectStore, ResourceType } from '../store/types';
import { conditions, defaultImage, rfc3339 } from '../operator/cnpg';
import {
  boundPvcStatus,
  buildInstancePod,
  buildPvc,
  runningPodStatus,
} from '../operator/instances';
import type { PodIpAllocator } from '../operator/pod-ips';
import { barmanBackupId } from '../operator/backup-facts';
import {
  cluster as clusterManifest,
  namespace,
  objectStoreBackup,
  scheduledBackup,
} from './manifests';

const clustersPerNamespace = 100;
const instances = 3;
const backupsPerCluster = 5;

interface Writer {
  store: ObjectStore;
  create(resource: ResourceType, object: KubeObject, status?: Record<string, unknown>): KubeObject;
}

function writer(store: ObjectStore): Writer {
  return {
    store,
    create(resource, object, status) {
      return store.create(resource, status === undefined ? object : { ...object, status });
    },
  };
}

function must(store: ObjectStore, group: string, resource: string): ResourceType {
  const found = store.resourceFor(group, resource);
  if (found === undefined) throw new Error(`the sandbox store does not serve ${resource}`);
  return found;
}

export function seedScaleScenario(options: {
  store: ObjectStore;
  clusters: number;
  ips: PodIpAllocator;
  now?: Date;
}): void {
  const { store } = options;
  const out = writer(store);
  const now = options.now ?? new Date();
  const namespaces = must(store, '', 'namespaces');
  for (let index = 0; index < options.clusters; index += 1) {
    const ns = `scale-${String(Math.floor(index / clustersPerNamespace)).padStart(3, '0')}`;
    if (index % clustersPerNamespace === 0) out.create(namespaces, namespace(ns));
    seedCluster({
      out,
      ips: options.ips,
      namespace: ns,
      name: `pg-${String(index).padStart(5, '0')}`,
      index,
      now,
    });
  }
}

function seedCluster(options: {
  out: Writer;
  ips: PodIpAllocator;
  namespace: string;
  name: string;
  index: number;
  now: Date;
}): void {
  const { out, namespace: ns, name, now } = options;
  const store = out.store;
  const podNames = Array.from({ length: instances }, (_, serial) => `${name}-${serial + 1}`);
  const ips = podNames.map(() => options.ips.allocate());
  const backupTimes = backupSchedule(now);
  const manifest = clusterManifest({
    namespace: ns,
    name,
    instances,
    spec: { backup: objectStoreBackup(`s3://scale/${ns}/`) },
  });
  const created = out.create(must(store, 'postgresql.cnpg.io', 'clusters'), manifest, {
    ...healthyStatus({ name, podNames, ips, now, backupTimes }),
    ...bookkeepingStatus({ cluster: manifest, image: defaultImage, now }),
  });

  podNames.forEach((podName, position) =>
    seedInstance({ out, cluster: created, podName, now, podIP: ips[position] ?? '' }),
  );
  seedBackups({ out, cluster: created, times: backupTimes });
  const minute = options.index % 60;
  const hour = Math.floor(options.index / 60) % 24;
  const schedule = scheduledBackup({
    namespace: ns,
    name: `${name}-daily`,
    cluster: name,
    schedule: `0 ${minute} ${hour} * * *`,
  });
  out.create(must(store, 'postgresql.cnpg.io', 'scheduledbackups'), schedule, {
    lastCheckTime: rfc3339(now),
    nextScheduleTime: rfc3339(nextDaily({ now, hour, minute })),
  });
}

/**
 * The next UTC time of day strictly after `now`, what the daily schedule
 * above fires at; worked out directly because parsing 10,000 cron
 * expressions would take seconds.
 */
function nextDaily(options: { now: Date; hour: number; minute: number }): Date {
  const { now, hour, minute } = options;
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hour, minute);
  return new Date(today > now.getTime() ? today : today + 86_400_000);
}

function healthyStatus(options: {
  name: string;
  podNames: string[];
  ips: string[];
  now: Date;
  backupTimes: { started: Date; stopped: Date }[];
}): Record<string, unknown> {
  const { name, podNames } = options;
  const stamp = rfc3339(options.now);
  const first = rfc3339(options.backupTimes[0]?.stopped ?? options.now);
  const last = rfc3339(options.backupTimes.at(-1)?.stopped ?? options.now);
  return {
    phase: 'Cluster in healthy state',
    phaseReason: '',
    conditions: [
      conditions.initializedDone,
      conditions.ready,
      conditions.archiving,
      conditions.backupSucceeded,
    ].map((condition) => ({ ...condition, lastTransitionTime: stamp })),
    instances,
    readyInstances: instances,
    latestGeneratedNode: instances,
    instanceNames: podNames,
    instancesStatus: { healthy: podNames },
    instancesReportedState: Object.fromEntries(
      podNames.map((podName, position) => [
        podName,
        { isPrimary: position === 0, timeLineID: 1, ip: options.ips[position] },
      ]),
    ),
    currentPrimary: podNames[0],
    targetPrimary: podNames[0],
    currentPrimaryTimestamp: stamp,
    timelineID: 1,
    image: defaultImage,
    writeService: `${name}-rw`,
    readService: `${name}-r`,
    healthyPVC: podNames,
    firstRecoverabilityPoint: first,
    firstRecoverabilityPointByMethod: { barmanObjectStore: first },
    lastSuccessfulBackup: last,
    lastSuccessfulBackupByMethod: { barmanObjectStore: last },
  };
}

/** Five hourly backups, the newest started an hour ago, each taking 90 seconds. */
function backupSchedule(now: Date): { started: Date; stopped: Date }[] {
  const times = [];
  for (let age = backupsPerCluster; age >= 1; age -= 1) {
    const started = new Date(now.getTime() - age * 3_600_000);
    times.push({ started, stopped: new Date(started.getTime() + 90_000) });
  }
  return times;
}

function seedInstance(options: {
  out: Writer;
  cluster: KubeObject;
  podName: string;
  now: Date;
  podIP: string;
}): void {
  const { out, cluster, podName } = options;
  const store = out.store;
  const role = podName.endsWith('-1') ? 'primary' : 'replica';
  const pvcs = store.resourceFor('', 'persistentvolumeclaims');
  if (pvcs !== undefined) {
    const spec = { name: podName, role: 'PG_DATA' as const, size: '1Gi', storageClass: undefined };
    out.create(pvcs, buildPvc({ cluster, podName, spec }), boundPvcStatus('1Gi'));
  }
  const podIP = options.podIP;
  const startedAt = rfc3339(new Date(options.now.getTime() - 6 * 3_600_000));
  const status = runningPodStatus({ podIP, isReady: true, startedAt, image: defaultImage });
  out.create(must(store, '', 'pods'), buildInstancePod({ cluster, podName, role }), status);
}

function seedBackups(options: {
  out: Writer;
  cluster: KubeObject;
  times: { started: Date; stopped: Date }[];
}): void {
  const { out, cluster } = options;
  const ns = cluster.metadata.namespace ?? 'default';
  const resource = must(out.store, 'postgresql.cnpg.io', 'backups');
  for (const { started, stopped } of options.times) {
    const backupId = barmanBackupId(started);
    const manifest: KubeObject = {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Backup',
      metadata: { name: `${cluster.metadata.name}-${backupId.toLowerCase()}`, namespace: ns },
      spec: { cluster: { name: cluster.metadata.name }, method: 'barmanObjectStore' },
    };
    out.create(resource, manifest, {
      phase: 'completed',
      method: 'barmanObjectStore',
      backupId,
      serverName: cluster.metadata.name,
      destinationPath: `s3://scale/${ns}/`,
      startedAt: rfc3339(started),
      stoppedAt: rfc3339(stopped),
      instanceID: { podName: `${cluster.metadata.name}-2` },
    });
  }
}
