// Where a cluster's WAL and base backups go: the in-tree barmanObjectStore
// section, or the ObjectStore named by the Barman Cloud plugin. Two writers on
// the same destinationPath + serverName would corrupt each other's archive,
// which is why CNPG refuses to bootstrap into a non-empty one.
import type { KubeObject } from '../store/types';
import { annotations, expectedEmptyArchive, findCondition, pluginName } from './cnpg';
import { record, text } from './client';
import type { OperatorContext } from './context';

export interface ArchiveLocation {
  destinationPath: string;
  serverName: string;
  endpointURL: string | undefined;
}

export function sameLocation(a: ArchiveLocation, b: ArchiveLocation): boolean {
  return a.destinationPath === b.destinationPath && a.serverName === b.serverName;
}

/** The Barman Cloud plugin entry of a cluster, when it has one that is enabled. */
export function barmanPlugin(cluster: KubeObject): Record<string, unknown> | undefined {
  const plugins = Array.isArray(cluster.spec?.plugins) ? cluster.spec.plugins : [];
  return plugins.map(record).find((entry) => entry?.name === pluginName && entry.enabled !== false);
}

export function objectStoreOf(
  ctx: OperatorContext,
  options: { namespace: string; name: string | undefined },
): KubeObject | undefined {
  const resource = ctx.resources.objectStores;
  if (resource === undefined || options.name === undefined) return undefined;
  return ctx.store.get(resource, options.namespace, options.name);
}

export function objectStoreLocation(
  objectStore: KubeObject,
  serverName: string,
): ArchiveLocation | undefined {
  const configuration = record(objectStore.spec?.configuration);
  const destinationPath = text(configuration?.destinationPath);
  if (destinationPath === undefined) return undefined;
  return { destinationPath, serverName, endpointURL: text(configuration?.endpointURL) };
}

/** The in-tree object store of a cluster's spec.backup, if configured. */
export function inTreeLocation(cluster: KubeObject): ArchiveLocation | undefined {
  const store = record(record(cluster.spec?.backup)?.barmanObjectStore);
  const destinationPath = text(store?.destinationPath);
  if (store === undefined || destinationPath === undefined) return undefined;
  return {
    destinationPath,
    serverName: text(store.serverName) ?? cluster.metadata.name,
    endpointURL: text(store.endpointURL),
  };
}

/** Where the cluster archives WAL, if anywhere. */
export function walArchiveOf(
  ctx: OperatorContext,
  cluster: KubeObject,
): ArchiveLocation | undefined {
  const inTree = inTreeLocation(cluster);
  if (inTree !== undefined) return inTree;

  const plugin = barmanPlugin(cluster);
  if (plugin === undefined || plugin.isWALArchiver !== true) return undefined;
  const parameters = record(plugin.parameters);
  const objectStore = objectStoreOf(ctx, {
    namespace: cluster.metadata.namespace ?? 'default',
    name: text(parameters?.barmanObjectName),
  });
  if (objectStore === undefined) return undefined;
  return objectStoreLocation(objectStore, text(parameters?.serverName) ?? cluster.metadata.name);
}

export function backupLocation(backup: KubeObject): ArchiveLocation | undefined {
  const destinationPath = text(backup.status?.destinationPath);
  const serverName = text(backup.status?.serverName);
  if (destinationPath === undefined || serverName === undefined) return undefined;
  return { destinationPath, serverName, endpointURL: text(backup.status?.endpointURL) };
}

/**
 * The archive check CNPG runs before bootstrapping: the error text when the
 * cluster's WAL destination already holds another server's data, else undefined.
 */
export function emptyArchiveError(ctx: OperatorContext, cluster: KubeObject): string | undefined {
  if (cluster.metadata.annotations?.[annotations.skipEmptyWalArchiveCheck] === 'enabled') {
    return undefined;
  }
  const location = walArchiveOf(ctx, cluster);
  if (location === undefined) return undefined;
  const isUsed =
    otherClusterArchivesTo(ctx, { cluster, location }) || backupExistsAt(ctx, location);
  return isUsed ? expectedEmptyArchive(location.serverName) : undefined;
}

function otherClusterArchivesTo(
  ctx: OperatorContext,
  options: { cluster: KubeObject; location: ArchiveLocation },
): boolean {
  return ctx.store.list(ctx.resources.clusters).items.some((other) => {
    if (other.metadata.uid === options.cluster.metadata.uid) return false;
    const initialized = findCondition(other.status?.conditions, 'Initialized');
    if (initialized?.status !== 'True') return false;
    const otherLocation = walArchiveOf(ctx, other);
    return otherLocation !== undefined && sameLocation(otherLocation, options.location);
  });
}

function backupExistsAt(ctx: OperatorContext, location: ArchiveLocation): boolean {
  return completedBackupsAt(ctx, location).length > 0;
}

/** Completed backups, in any namespace, stored at this destination and server name. */
export function completedBackupsAt(ctx: OperatorContext, location: ArchiveLocation): KubeObject[] {
  return ctx.store.list(ctx.resources.backups).items.filter((backup) => {
    if (backup.status?.phase !== 'completed') return false;
    const stored = backupLocation(backup);
    return stored !== undefined && sameLocation(stored, location);
  });
}
