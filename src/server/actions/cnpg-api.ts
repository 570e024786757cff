// The Kubernetes calls actions make, each answering with the raw object or an
// ActionError in the contract's words. Reads here are fresh GETs from the API
// server, never the store: the store keeps no spec and may lag behind.
import type { KubeConfig } from '@kubernetes/client-node';
import { backupNotFound, clusterNotFound } from './errors';
import { guardTransport, refusalToError, type RefusalContext } from './kube-errors';
import { kubeRequest } from './kube-client';
import { asRecord, type JsonObject } from './json';

const cnpgGroupVersion = '/apis/postgresql.cnpg.io/v1';

type CnpgPlural = 'clusters' | 'backups';

function objectPath(options: { plural: CnpgPlural; namespace: string; name?: string }): string {
  const namespace = encodeURIComponent(options.namespace);
  const base = `${cnpgGroupVersion}/namespaces/${namespace}/${options.plural}`;
  return options.name === undefined ? base : `${base}/${encodeURIComponent(options.name)}`;
}

async function getObject(
  kubeConfig: KubeConfig,
  options: { plural: CnpgPlural; namespace: string; name: string; context: RefusalContext },
): Promise<JsonObject> {
  const response = await guardTransport(options.context, () =>
    kubeRequest(kubeConfig, { method: 'GET', path: objectPath(options) }),
  );
  if (response.statusCode !== 200) throw refusalToError(response, options.context);
  const object = asRecord(response.body);
  if (object === undefined)
    throw refusalToError({ statusCode: 502, body: undefined }, options.context);
  return object;
}

/** The Cluster as the API server has it now; 404 in the contract's words when absent. */
export function fetchCluster(
  kubeConfig: KubeConfig,
  key: { namespace: string; name: string },
): Promise<JsonObject> {
  return getObject(kubeConfig, {
    plural: 'clusters',
    ...key,
    context: {
      verb: 'read clusters',
      namespace: key.namespace,
      notFound: clusterNotFound(key.namespace, key.name).message,
    },
  });
}

/** The Backup as the API server has it now; 404 in the contract's words when absent. */
export function fetchBackup(
  kubeConfig: KubeConfig,
  key: { namespace: string; name: string },
): Promise<JsonObject> {
  return getObject(kubeConfig, {
    plural: 'backups',
    ...key,
    context: {
      verb: 'read backups',
      namespace: key.namespace,
      notFound: backupNotFound(key.namespace, key.name).message,
    },
  });
}

export interface CreateOptions {
  plural: CnpgPlural;
  namespace: string;
  body: JsonObject;
  /** Server-side dry run (`dryRun=All`): validated and defaulted, not stored. */
  isDryRun?: boolean;
  context: RefusalContext;
}

/**
 * Creates one object, once: no retry, since a retried create can duplicate it.
 * `fieldValidation=Strict` makes the API server refuse a field its schema does
 * not know instead of silently dropping it from a restore manifest.
 */
export async function createObject(
  kubeConfig: KubeConfig,
  options: CreateOptions,
): Promise<JsonObject> {
  const context: RefusalContext = { ...options.context, isCreate: true };
  const response = await guardTransport(context, () =>
    kubeRequest(kubeConfig, {
      method: 'POST',
      path: objectPath(options),
      body: options.body,
      query: {
        fieldValidation: 'Strict',
        ...(options.isDryRun === true ? { dryRun: 'All' } : {}),
      },
    }),
  );
  if (response.statusCode !== 200 && response.statusCode !== 201) {
    throw refusalToError(response, context);
  }
  return asRecord(response.body) ?? {};
}
