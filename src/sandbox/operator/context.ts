// What every controller of the simulated operator shares.
import type { Logger } from 'pino';
import type { KubeObject, ObjectStore } from '../store/types';
import type { Resources } from './client';
import type { EventRecorder } from './events';
import type { InstanceIndex } from './index-cache';
import type { PodIpAllocator } from './pod-ips';

export interface OperatorContext {
  store: ObjectStore;
  resources: Resources;
  logger: Logger;
  /** Wall time of one lifecycle step (a pod starting, a phase changing), already divided by speed. */
  stepMs: number;
  /** How long CNPG waits before retrying a missing dependency (30 s), divided by speed. */
  retryMs: number;
  ips: PodIpAllocator;
  index: InstanceIndex;
  now: () => Date;
  enqueueCluster: (key: string, delayMs?: number) => void;
  enqueueBackup: (key: string, delayMs?: number) => void;
  /** Clusters whose bootstrap waits for a Backup to exist or complete; woken by backup changes. */
  waitingForBackup: Set<string>;
  events: EventRecorder;
}

export function clusterKey(object: KubeObject): string {
  return `${object.metadata.namespace ?? 'default'}/${object.metadata.name}`;
}

export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
