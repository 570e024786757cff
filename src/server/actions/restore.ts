// `POST .../restore`: checks the request, reads the source Cluster and the
// Backup fresh from the API server, builds the new Cluster and creates it (or
// has the API server dry-run it). The API server's AlreadyExists is the final
// word on a taken name, so of racing identical requests exactly one succeeds.
import type { RestoreResponse, RestoreStatus } from '../../contract/api';
import type { ApiDeps } from '../api/deps';
import type { ClusterProjection } from '../store/types';
import { readBackupFacts, toBackupSummaryFromFacts } from './backup-object';
import { createObject, fetchBackup, fetchCluster } from './cnpg-api';
import { clusterNotFound, conflict, describeCluster } from './errors';
import { getPath, getString, type JsonObject } from './json';
import { manifestPreview } from './manifest-preview';
import { checkRecoveryRules } from './recovery-rules';
import { buildRestoreManifest } from './restore-manifest';
import { windowForMethod } from './restore-options';
import { planRestore, type RestorePlan } from './restore-plan';
import { parseRestoreRequest } from './restore-request';
import { restoreWarnings } from './restore-warnings';

type RestoreDeps = Pick<ApiDeps, 'store' | 'kubeConfig' | 'logger' | 'now'>;

export interface RestoreInput {
  /** The source cluster, from the path. */
  namespace: string;
  name: string;
  body: unknown;
  isDryRun: boolean;
}

function alreadyExists(namespace: string, name: string): string {
  return `${describeCluster(namespace, name)} already exists`;
}

function initialStatus(
  created: JsonObject,
  options: { isDryRun: boolean; now: Date },
): RestoreStatus {
  if (options.isDryRun) {
    return {
      phase: 'bootstrapping',
      phaseReason: 'dry run',
      message: 'restore validated by the Kubernetes API; nothing was created',
      timestamps: {},
    };
  }
  const createdAt =
    getString(created, ['metadata', 'creationTimestamp']) ?? options.now.toISOString();
  return {
    phase: 'bootstrapping',
    phaseReason: 'create accepted',
    message: 'restore cluster resource created',
    timestamps: { bootstrappingStartedAt: createdAt, lastTransitionAt: createdAt },
  };
}

async function prepare(deps: RestoreDeps, input: RestoreInput) {
  const source = { namespace: input.namespace, name: input.name };
  const request = parseRestoreRequest(input.body, source);
  const cluster = deps.store.get('clusters', source.namespace, source.name);
  if (cluster === undefined) throw clusterNotFound(source.namespace, source.name);
  // The store may answer early; the create below still maps AlreadyExists.
  if (deps.store.get('clusters', request.targetNamespace, request.targetName) !== undefined) {
    throw conflict(alreadyExists(request.targetNamespace, request.targetName));
  }

  const sourceCluster = await fetchCluster(deps.kubeConfig, source);
  const backupObject = await fetchBackup(deps.kubeConfig, {
    namespace: source.namespace,
    name: request.backupName,
  });
  const backup = readBackupFacts(backupObject);
  const window = windowForMethod(cluster, deps.store, backup.method);
  const plan = planRestore({ request, source, sourceCluster, backup, window });
  return { cluster, sourceCluster, plan };
}

function buildChecked(plan: RestorePlan, sourceCluster: JsonObject): JsonObject {
  const manifest = buildRestoreManifest(plan, sourceCluster);
  const problems = checkRecoveryRules(manifest);
  if (problems.length > 0) {
    throw new Error(`restore manifest breaks CNPG recovery rules: ${problems.join('; ')}`);
  }
  return manifest;
}

function respond(options: {
  cluster: ClusterProjection;
  plan: RestorePlan;
  manifest: JsonObject;
  created: JsonObject;
  warnings: string[];
  isDryRun: boolean;
  now: Date;
}): RestoreResponse {
  const { cluster, plan, manifest } = options;
  const instances = getPath(manifest, ['spec', 'instances']);
  const response: RestoreResponse = {
    sourceCluster: {
      namespace: cluster.namespace,
      name: cluster.name,
      desiredInstances: cluster.desiredInstances,
      readyInstances: cluster.readyInstances,
    },
    targetCluster: {
      ...plan.target,
      desiredInstances: typeof instances === 'number' ? instances : 1,
      readyInstances: 0,
    },
    backup: toBackupSummaryFromFacts(plan.backup),
    yamlPreview: manifestPreview(manifest),
    restoreStatus: initialStatus(options.created, options),
    warnings: options.warnings,
  };
  if (options.isDryRun) response.dryRun = true;
  return response;
}

/** Handles `POST .../restore` past the read-only check; the response body, or an ActionError. */
export async function createRestore(
  deps: RestoreDeps,
  input: RestoreInput,
): Promise<RestoreResponse> {
  const { cluster, sourceCluster, plan } = await prepare(deps, input);
  const manifest = buildChecked(plan, sourceCluster);
  const { namespace, name } = plan.target;
  const created = await createObject(deps.kubeConfig, {
    plural: 'clusters',
    namespace,
    body: manifest,
    isDryRun: input.isDryRun,
    context: {
      verb: 'create clusters',
      namespace,
      alreadyExists: alreadyExists(namespace, name),
      notFound: `namespace "${namespace}" not found`,
    },
  });
  deps.logger.info(
    {
      sourceNamespace: plan.source.namespace,
      sourceCluster: plan.source.name,
      backup: plan.backup.name,
      targetNamespace: namespace,
      targetCluster: name,
      shape: plan.shape,
      pitrTargetTime: plan.pitrTargetTime,
      dryRun: input.isDryRun,
    },
    input.isDryRun ? 'restore dry run accepted' : 'restore cluster created',
  );
  const warnings = restoreWarnings(plan, sourceCluster);
  return respond({
    cluster,
    plan,
    manifest,
    created,
    warnings,
    isDryRun: input.isDryRun,
    now: deps.now(),
  });
}
