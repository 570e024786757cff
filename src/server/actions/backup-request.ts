// Decides what Backup to create for a request: the method, target and plugin,
// from the request where given and from the Cluster's configuration otherwise.
import { z } from 'zod';
import type { BackupMethod, BackupTarget } from '../../contract/api';
import type { ClusterProjection } from '../store/types';
import { badRequest, conflict, describeCluster } from './errors';
import { parseBody } from './request-body';

const requestSchema = z.strictObject({
  method: z.string().optional(),
  target: z.string().optional(),
  pluginName: z.string().optional(),
});

const supportedMethods: readonly BackupMethod[] = ['barmanObjectStore', 'volumeSnapshot', 'plugin'];
const supportedTargets: readonly BackupTarget[] = ['primary', 'prefer-standby'];

/** CNPG's default when neither the Backup nor the Cluster names a target. */
const cnpgDefaultTarget: BackupTarget = 'prefer-standby';

/** What will be created. */
export interface BackupPlan {
  method: BackupMethod;
  /** Only when the request named one; otherwise CNPG applies the Cluster's own. */
  requestedTarget?: BackupTarget;
  /** The target CNPG will use. */
  effectiveTarget: BackupTarget;
  /** For `plugin` only. */
  pluginName?: string;
}

function isMethod(value: string): value is BackupMethod {
  return (supportedMethods as readonly string[]).includes(value);
}

function isTarget(value: string): value is BackupTarget {
  return (supportedTargets as readonly string[]).includes(value);
}

function enabledPlugins(cluster: ClusterProjection) {
  return cluster.plugins.filter((plugin) => plugin.enabled);
}

/** Default order: the plugin (CNPG's successor), then in-tree object store, then snapshots. */
function defaultMethod(cluster: ClusterProjection): BackupMethod {
  if (enabledPlugins(cluster).some((plugin) => plugin.isWALArchiver)) return 'plugin';
  if (cluster.hasBarmanObjectStore) return 'barmanObjectStore';
  if (cluster.hasVolumeSnapshot) return 'volumeSnapshot';
  throw conflict(
    `${describeCluster(cluster.namespace, cluster.name)} is not configured for backups`,
  );
}

function notConfiguredFor(cluster: ClusterProjection, method: BackupMethod) {
  return conflict(
    `${describeCluster(cluster.namespace, cluster.name)} is not configured for ${method} backups`,
  );
}

function resolvePlugin(cluster: ClusterProjection, requested: string | undefined): string {
  const plugins = enabledPlugins(cluster);
  if (requested !== undefined) {
    if (plugins.some((plugin) => plugin.name === requested)) return requested;
    throw conflict(
      `${describeCluster(cluster.namespace, cluster.name)} has no enabled plugin "${requested}"`,
    );
  }
  const archiver = plugins.find((plugin) => plugin.isWALArchiver);
  if (archiver === undefined) throw notConfiguredFor(cluster, 'plugin');
  return archiver.name;
}

function checkConfigured(cluster: ClusterProjection, method: BackupMethod): void {
  if (method === 'barmanObjectStore' && !cluster.hasBarmanObjectStore) {
    throw notConfiguredFor(cluster, method);
  }
  if (method === 'volumeSnapshot' && !cluster.hasVolumeSnapshot) {
    throw notConfiguredFor(cluster, method);
  }
}

function readMethod(request: { method?: string | undefined; pluginName?: string | undefined }) {
  if (request.method === undefined) return request.pluginName === undefined ? undefined : 'plugin';
  if (!isMethod(request.method))
    throw badRequest(`backup method "${request.method}" is not supported`);
  return request.method;
}

function readTarget(target: string | undefined): BackupTarget | undefined {
  if (target === undefined) return undefined;
  if (!isTarget(target)) throw badRequest(`backup target "${target}" is not supported`);
  return target;
}

/** A request whose fields are known to be supported values. */
export interface BackupRequest {
  method?: BackupMethod;
  target?: BackupTarget;
  pluginName?: string;
}

/** Parses and checks the body on its own; 400 ActionErrors. */
export function parseBackupRequest(body: unknown): BackupRequest {
  const raw = parseBody(requestSchema, body);
  const method = readMethod(raw);
  const target = readTarget(raw.target);
  if (raw.pluginName !== undefined && method !== 'plugin') {
    throw badRequest('pluginName is only allowed with method "plugin"');
  }
  if (raw.pluginName !== undefined && raw.pluginName.trim() === '') {
    throw badRequest('pluginName must not be empty');
  }
  const request: BackupRequest = {};
  if (method !== undefined) request.method = method;
  if (target !== undefined) request.target = target;
  if (raw.pluginName !== undefined) request.pluginName = raw.pluginName;
  return request;
}

/** Resolves a request against the Cluster's configuration; 409 ActionErrors. */
export function planBackup(cluster: ClusterProjection, request: BackupRequest): BackupPlan {
  // CNPG fails every backup of a hibernated cluster ("cannot backup a hibernated cluster").
  if (cluster.annotations['cnpg.io/hibernation'] === 'on') {
    throw conflict(
      `${describeCluster(cluster.namespace, cluster.name)} is hibernated, ` +
        `so CNPG cannot back it up`,
    );
  }
  const method = request.method ?? defaultMethod(cluster);
  checkConfigured(cluster, method);
  const plan: BackupPlan = {
    method,
    effectiveTarget: request.target ?? cluster.backupTarget ?? cnpgDefaultTarget,
  };
  if (request.target !== undefined) plan.requestedTarget = request.target;
  if (method === 'plugin') plan.pluginName = resolvePlugin(cluster, request.pluginName);
  return plan;
}
