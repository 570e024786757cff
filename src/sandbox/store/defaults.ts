// Fields the apiserver itself sets on built-in kinds at creation.
import type { KubeObject, ResourceType } from './types';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function applyBuiltinDefaults(resource: ResourceType, object: KubeObject): void {
  if (resource.group !== '') return;
  if (resource.resource === 'namespaces') {
    // The namespace lifecycle admission labels every namespace with its own name.
    object.metadata.labels = {
      ...object.metadata.labels,
      'kubernetes.io/metadata.name': object.metadata.name,
    };
    // The controller's own finalizer is always there, after any the client
    // asked for; a new namespace is Active whatever status it was sent with.
    const spec = isRecord(object.spec) ? object.spec : {};
    const asked = Array.isArray(spec.finalizers) ? spec.finalizers : [];
    const finalizers = asked.includes('kubernetes') ? asked : [...asked, 'kubernetes'];
    object.spec = { ...spec, finalizers };
    object.status = { phase: 'Active' };
  }
  if (resource.resource === 'pods') {
    object.status = { phase: 'Pending', ...(isRecord(object.status) ? object.status : {}) };
  }
}

/**
 * Whether the kind keeps metadata.generation. Custom resources always do; of
 * the built-in kinds served here none does at the version the sandbox
 * reports (1.32): pods gain a generation only from 1.33, and namespaces,
 * events and claims never have one.
 */
export function tracksGeneration(resource: ResourceType): boolean {
  return resource.group !== '';
}

/** Everything but metadata and status: a change here bumps metadata.generation. */
export function specPart(object: KubeObject): string {
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    if (key !== 'metadata' && key !== 'status' && key !== 'apiVersion' && key !== 'kind') {
      rest[key] = value;
    }
  }
  return JSON.stringify(rest);
}

/** The object without metadata.resourceVersion, to recognise writes that change nothing. */
export function contentOf(object: KubeObject): string {
  const { resourceVersion: _ignored, ...metadata } = object.metadata;
  return JSON.stringify({ ...object, metadata });
}
