// Where Deckhand finds its Kubernetes credentials: an explicit kubeconfig file,
// else the files $KUBECONFIG lists (merged as kubectl merges them), else
// ~/.kube/config, else the pod's service account.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

/** Where the service account token is mounted in a pod. */
export const SERVICE_ACCOUNT_TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** Options of loadKubeConfig. */
export interface LoadKubeConfigOptions {
  /** Path of a kubeconfig file (`--kubeconfig`). */
  kubeconfig?: string;
  /** Context to use instead of the file's current context (`--context`). */
  context?: string;
  /** Environment to read `KUBECONFIG` and `KUBERNETES_SERVICE_HOST` from. */
  env?: NodeJS.ProcessEnv;
  /** Whether a file exists; replaceable in tests. */
  fileExists?: (path: string) => boolean;
}

/** A kubeconfig that cannot be used, with a message meant for the operator. */
export class KubeConfigError extends Error {
  override readonly name = 'KubeConfigError';
}

/** Loads the kubeconfig Deckhand talks to the API server with. */
export function loadKubeConfig(options: LoadKubeConfigOptions): KubeConfig {
  const env = options.env ?? process.env;
  const fileExists = options.fileExists ?? existsSync;
  const kubeConfig = new KubeConfig();

  if (options.kubeconfig !== undefined && options.kubeconfig !== '') {
    if (!fileExists(options.kubeconfig)) {
      throw new KubeConfigError(`kubeconfig file ${options.kubeconfig} does not exist`);
    }
    loadFile(kubeConfig, options.kubeconfig);
  } else if (listedFiles(env).some(fileExists)) {
    mergeFiles(kubeConfig, listedFiles(env).filter(fileExists));
  } else if (listedFiles(env).length === 0 && fileExists(homeFile(env))) {
    loadFile(kubeConfig, homeFile(env));
  } else if (isInCluster(env, fileExists)) {
    kubeConfig.loadFromCluster();
  } else if (listedFiles(env).length > 0) {
    throw new KubeConfigError(
      `no kubeconfig found: none of the files KUBECONFIG lists exists (${listedFiles(env).join(', ')})`,
    );
  } else {
    throw new KubeConfigError(
      'no kubeconfig found: pass --kubeconfig, set KUBECONFIG, create ~/.kube/config, or run in a pod with a service account',
    );
  }

  if (options.context !== undefined && options.context !== '')
    useContext(kubeConfig, options.context);
  if (kubeConfig.getCurrentCluster() === null) {
    throw new KubeConfigError(
      `kubeconfig context "${kubeConfig.getCurrentContext()}" names no cluster`,
    );
  }
  return kubeConfig;
}

/**
 * The files `KUBECONFIG` lists, in order (empty entries dropped). As with
 * kubectl, a set `KUBECONFIG` replaces ~/.kube/config even when none of its
 * files exist.
 */
function listedFiles(env: NodeJS.ProcessEnv): string[] {
  return (env.KUBECONFIG ?? '').split(delimiter).filter((file) => file !== '');
}

function homeFile(env: NodeJS.ProcessEnv): string {
  return join(env.HOME ?? homedir(), '.kube', 'config');
}

/**
 * Merges the files `KUBECONFIG` lists the way kubectl does: a cluster, user
 * or context is taken from the first file that names it, and the current
 * context from the first file that sets one; listed files that do not exist
 * are skipped. client-node's own merge differs (a later file's current
 * context wins, and a name found twice is an error), so clusters that work
 * with kubectl would fail or change here.
 */
function mergeFiles(kubeConfig: KubeConfig, files: string[]): void {
  const loaded = files.map((file) => {
    const single = new KubeConfig();
    loadFile(single, file);
    return single;
  });
  const firstByName = <T extends { name: string }>(pick: (config: KubeConfig) => T[]): T[] => {
    const byName = new Map<string, T>();
    for (const entry of loaded.flatMap(pick)) {
      if (!byName.has(entry.name)) byName.set(entry.name, entry);
    }
    return [...byName.values()];
  };
  kubeConfig.loadFromOptions({
    clusters: firstByName((config) => config.getClusters()),
    users: firstByName((config) => config.getUsers()),
    contexts: firstByName((config) => config.getContexts()),
    currentContext: loaded.map((config) => config.getCurrentContext()).find(Boolean) ?? '',
  });
}

function isInCluster(env: NodeJS.ProcessEnv, fileExists: (path: string) => boolean): boolean {
  return Boolean(env.KUBERNETES_SERVICE_HOST) && fileExists(SERVICE_ACCOUNT_TOKEN_PATH);
}

function loadFile(kubeConfig: KubeConfig, file: string): void {
  try {
    kubeConfig.loadFromFile(file);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new KubeConfigError(`cannot read kubeconfig file ${file}: ${reason}`);
  }
}

function useContext(kubeConfig: KubeConfig, context: string): void {
  const known = kubeConfig.getContexts().map((entry) => entry.name);
  if (!known.includes(context)) {
    const choices = known.length > 0 ? known.join(', ') : 'none';
    throw new KubeConfigError(`kubeconfig has no context "${context}" (known: ${choices})`);
  }
  kubeConfig.setCurrentContext(context);
}
