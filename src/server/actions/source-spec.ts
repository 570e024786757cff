// The parts of a source Cluster's spec a restore carries over: an allowlist.
// Anything not named here (backup configuration, plugins, secrets, affinity,
// monitoring, managed roles, external clusters, ...) stays behind, so the new
// cluster never writes into its source's archive or inherits its credentials.
import { asRecord, getPath, getRecord, getString, getStringMap, type JsonObject } from './json';

function copyStorage(spec: JsonObject, field: 'storage' | 'walStorage'): JsonObject | undefined {
  const storage = getRecord(spec, [field]);
  if (storage === undefined) return undefined;
  // A size given only through the PVC template still sizes the restored volume.
  const size =
    getString(storage, ['size']) ??
    getString(storage, ['pvcTemplate', 'resources', 'requests', 'storage']);
  const storageClass =
    getString(storage, ['storageClass']) ?? getString(storage, ['pvcTemplate', 'storageClassName']);
  const copy: JsonObject = {};
  if (size !== undefined) copy.size = size;
  if (storageClass !== undefined) copy.storageClass = storageClass;
  return Object.keys(copy).length > 0 ? copy : undefined;
}

function copyQuantities(spec: JsonObject, path: readonly string[]): JsonObject | undefined {
  const record = getRecord(spec, path);
  if (record === undefined) return undefined;
  const copy: JsonObject = {};
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === 'string' || typeof value === 'number') copy[key] = value;
  }
  return Object.keys(copy).length > 0 ? copy : undefined;
}

function copyResources(spec: JsonObject): JsonObject | undefined {
  const requests = copyQuantities(spec, ['resources', 'requests']);
  const limits = copyQuantities(spec, ['resources', 'limits']);
  const copy: JsonObject = {};
  if (requests !== undefined) copy.requests = requests;
  if (limits !== undefined) copy.limits = limits;
  return Object.keys(copy).length > 0 ? copy : undefined;
}

function copyImageCatalogRef(spec: JsonObject): JsonObject | undefined {
  const ref = getRecord(spec, ['imageCatalogRef']);
  const kind = getString(ref, ['kind']);
  const name = getString(ref, ['name']);
  const major = getPath(ref, ['major']);
  if (kind === undefined || name === undefined || typeof major !== 'number') return undefined;
  return { apiGroup: getString(ref, ['apiGroup']) ?? 'postgresql.cnpg.io', kind, name, major };
}

function copyImage(spec: JsonObject): JsonObject {
  const imageName = getString(spec, ['imageName']);
  if (imageName !== undefined && imageName !== '') return { imageName };
  const imageCatalogRef = copyImageCatalogRef(spec);
  return imageCatalogRef === undefined ? {} : { imageCatalogRef };
}

/** The allowlisted spec fields of the source, ready to sit beside the bootstrap. */
export function copyAllowedSpec(sourceCluster: JsonObject): JsonObject {
  const spec = asRecord(sourceCluster.spec) ?? {};
  const copied: JsonObject = {};
  const instances = spec.instances;
  copied.instances =
    typeof instances === 'number' && Number.isInteger(instances) && instances > 0 ? instances : 1;
  Object.assign(copied, copyImage(spec));

  const parameters = getStringMap(spec, ['postgresql', 'parameters']);
  if (Object.keys(parameters).length > 0) copied.postgresql = { parameters };
  const optional: [string, JsonObject | undefined][] = [
    ['storage', copyStorage(spec, 'storage')],
    ['walStorage', copyStorage(spec, 'walStorage')],
    ['resources', copyResources(spec)],
  ];
  for (const [field, value] of optional) if (value !== undefined) copied[field] = value;
  return copied;
}

/** The image catalog the copy refers to, when the source uses one. */
export function imageCatalogOf(
  sourceCluster: JsonObject,
): { kind: string; name: string } | undefined {
  const ref = copyImageCatalogRef(asRecord(sourceCluster.spec) ?? {});
  return ref === undefined ? undefined : { kind: String(ref.kind), name: String(ref.name) };
}
