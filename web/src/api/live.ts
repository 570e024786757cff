import type { QueryKey } from '@tanstack/react-query';
import type { StoreChangedEvent } from '../../../src/contract/api';
import { queryKeys } from './queries';

/** What the live indicator shows. */
export type LiveState =
  | { status: 'connecting' }
  | { status: 'live'; since: number }
  | { status: 'reconnecting'; retryAt: number; attempt: number };

const backoffBaseMs = 500;
const backoffMaxMs = 15_000;

/** Full-jitter exponential backoff, so many tabs do not reconnect in step after a restart. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(backoffMaxMs, backoffBaseMs * 2 ** attempt);
  return Math.round(backoffBaseMs / 2 + random() * ceiling);
}

function isStoreChangedEvent(value: unknown): value is StoreChangedEvent {
  if (typeof value !== 'object' || value === null) return false;
  const event = value as Partial<StoreChangedEvent>;
  return (
    event.type === 'store.changed' &&
    typeof event.kind === 'string' &&
    typeof event.namespace === 'string' &&
    typeof event.name === 'string'
  );
}

/**
 * Query keys an event makes stale; nothing for a message that is not a valid event.
 * Backup events name the Backup, not its cluster, so every backup view of the
 * namespace is marked stale (only the ones on screen refetch).
 */
export function keysForEvent(event: unknown): QueryKey[] {
  if (!isStoreChangedEvent(event)) return [];
  const { namespace: ns, name } = event;
  switch (event.kind) {
    case 'cluster':
      return [
        queryKeys.clusters,
        queryKeys.cluster(ns, name),
        queryKeys.restoreStatus(ns, name),
        queryKeys.restoreOptions(ns, name),
        queryKeys.metrics(ns, name),
      ];
    case 'backup':
    case 'scheduledBackup':
      return [['backups', ns], ['cluster', ns], ['restoreOptions', ns], queryKeys.clusters];
    case 'metrics':
      return [queryKeys.metrics(ns, name), queryKeys.history(ns, name), queryKeys.clusters];
    default:
      return [];
  }
}
