// Pods and Backups grouped by the Cluster they belong to, kept current from
// store events, so a reconcile never scans every object of the sandbox (a
// 10,000-cluster sandbox holds 30,000 pods and 50,000 backups).
import type { KubeObject } from '../store/types';
import { labels } from './cnpg';
import { record, text } from './client';

type Group = Map<string, KubeObject>;

export class InstanceIndex {
  private readonly pods = new Map<string, Group>();
  private readonly backups = new Map<string, Group>();

  podsOf(clusterKey: string): Group {
    return this.pods.get(clusterKey) ?? new Map();
  }

  backupsOf(clusterKey: string): Group {
    return this.backups.get(clusterKey) ?? new Map();
  }

  /** Cluster keys that have at least one indexed backup. */
  clustersWithBackups(): IterableIterator<string> {
    return this.backups.keys();
  }

  putPod(pod: KubeObject): string | undefined {
    const key = podClusterKey(pod);
    if (key !== undefined) put(this.pods, key, pod);
    return key;
  }

  removePod(pod: KubeObject): string | undefined {
    const key = podClusterKey(pod);
    if (key !== undefined) remove(this.pods, key, pod.metadata.name);
    return key;
  }

  putBackup(backup: KubeObject): string | undefined {
    const key = backupClusterKey(backup);
    if (key !== undefined) put(this.backups, key, backup);
    return key;
  }

  removeBackup(backup: KubeObject): string | undefined {
    const key = backupClusterKey(backup);
    if (key !== undefined) remove(this.backups, key, backup.metadata.name);
    return key;
  }
}

function put(groups: Map<string, Group>, key: string, object: KubeObject): void {
  let group = groups.get(key);
  if (group === undefined) {
    group = new Map();
    groups.set(key, group);
  }
  group.set(object.metadata.name, object);
}

function remove(groups: Map<string, Group>, key: string, name: string): void {
  const group = groups.get(key);
  if (group === undefined) return;
  group.delete(name);
  if (group.size === 0) groups.delete(key);
}

function podClusterKey(pod: KubeObject): string | undefined {
  const labelMap = pod.metadata.labels ?? {};
  if (labelMap[labels.podRole] !== 'instance') return undefined;
  const cluster = labelMap[labels.cluster];
  return cluster === undefined ? undefined : `${pod.metadata.namespace ?? 'default'}/${cluster}`;
}

function backupClusterKey(backup: KubeObject): string | undefined {
  const cluster = text(record(backup.spec?.cluster)?.name);
  return cluster === undefined ? undefined : `${backup.metadata.namespace ?? 'default'}/${cluster}`;
}
