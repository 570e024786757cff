// Server-side apply (`kubectl apply --server-side`, content type
// application/apply-patch+yaml) for the common case of one manager owning
// what it applies.
//
// What the apiserver does and the sandbox does too: an apply creates the
// object when it is missing; otherwise the applied configuration is merged
// into the object (maps field by field, lists of named items item by item,
// other lists replaced whole), fields the same manager applied last time and
// left out now are removed, and the manager's field set is kept in
// metadata.managedFields as a FieldsV1 entry with operation `Apply`.
//
// What it does not do: conflict detection between managers (a field another
// manager set is simply overwritten, as with --force-conflicts), field sets
// for non-apply writes, and list-type or map-type hints from the schema (any
// list whose items all have a `name` is merged by name, as the strategic merge
// patch here does).
import { badRequest } from '../store/errors';
import type { KubeObject } from '../store/types';

type Json = unknown;
type JsonObject = Record<string, unknown>;
/** A FieldsV1 set: `f:<field>` and `k:{"name":"..."}` keys, `{}` at the leaves. */
export type FieldSet = { [key: string]: FieldSet };

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isNamedList(value: unknown): value is JsonObject[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((item) => isObject(item) && typeof item.name === 'string')
  );
}

function itemKey(item: JsonObject): string {
  return `k:${JSON.stringify({ name: item.name })}`;
}

/** Identity and server-set metadata, which no manager owns. */
const unownedMetadata = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
]);

/** The fields a configuration sets, as FieldsV1. */
export function fieldSetOf(value: Json, path: string[] = []): FieldSet {
  if (isNamedList(value)) {
    const set: FieldSet = {};
    for (const item of value) set[itemKey(item)] = { '.': {}, ...fieldSetOf(item, path) };
    return set;
  }
  if (!isObject(value)) return {};
  const set: FieldSet = {};
  for (const [key, child] of Object.entries(value)) {
    const isTop = path.length === 0;
    if (isTop && (key === 'apiVersion' || key === 'kind' || key === 'status')) continue;
    if (path.length === 1 && path[0] === 'metadata' && unownedMetadata.has(key)) continue;
    set[`f:${key}`] = fieldSetOf(child, [...path, key]);
  }
  return set;
}

/** Removes from `target` what `previous` covers and `next` does not. */
function removeDropped(target: Json, previous: FieldSet, next: FieldSet): void {
  for (const [key, previousChild] of Object.entries(previous)) {
    if (key === '.') continue;
    const nextChild = next[key];
    if (key.startsWith('f:') && isObject(target)) {
      const field = key.slice(2);
      if (nextChild === undefined) delete target[field];
      else removeDropped(target[field], previousChild, nextChild);
    } else if (key.startsWith('k:') && Array.isArray(target)) {
      const index = target.findIndex((item) => isObject(item) && itemKey(item) === key);
      if (index < 0) continue;
      if (nextChild === undefined) target.splice(index, 1);
      else removeDropped(target[index], previousChild, nextChild);
    }
  }
}

/** Merges the applied configuration into the object. */
function mergeApplied(target: Json, applied: Json): Json {
  if (isNamedList(applied) && Array.isArray(target)) {
    const result = [...target];
    for (const item of applied) {
      const index = result.findIndex((entry) => isObject(entry) && entry.name === item.name);
      if (index < 0) result.push(structuredClone(item));
      else result[index] = mergeApplied(result[index], item);
    }
    return result;
  }
  if (!isObject(applied)) return structuredClone(applied);
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(applied)) {
    result[key] = mergeApplied(result[key], value);
  }
  return result;
}

interface ManagedFieldsEntry {
  manager: string;
  operation: string;
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: FieldSet;
}

function managedEntries(object: KubeObject | undefined): ManagedFieldsEntry[] {
  const entries = object?.metadata.managedFields;
  return Array.isArray(entries) ? (entries as ManagedFieldsEntry[]) : [];
}

/** The manager named by the request; the apiserver refuses an apply without one. */
export function applyManager(url: URL): string {
  const manager = url.searchParams.get('fieldManager')?.trim() ?? '';
  if (manager === '') {
    throw badRequest(
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
  }
  if (manager.length > 128) {
    throw badRequest(
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes',
    );
  }
  return manager;
}

/** The object an apply produces, from the stored one (if any) and the configuration. */
export function applyConfiguration(input: {
  existing: KubeObject | undefined;
  applied: JsonObject;
  manager: string;
  now: string;
}): KubeObject {
  const { existing, applied, manager } = input;
  const next = fieldSetOf(applied);
  const entries = managedEntries(existing);
  const previous = entries.find(
    (entry) => entry.manager === manager && entry.operation === 'Apply',
  )?.fieldsV1;

  const base: JsonObject = existing === undefined ? {} : (structuredClone(existing) as JsonObject);
  if (previous !== undefined) removeDropped(base, previous, next);
  const { metadata: appliedMetadata, ...appliedRest } = applied;
  const merged = mergeApplied(base, appliedRest) as KubeObject;
  merged.metadata = mergeApplied(
    isObject(base.metadata) ? base.metadata : {},
    isObject(appliedMetadata) ? appliedMetadata : {},
  ) as KubeObject['metadata'];
  merged.metadata.managedFields = [
    ...entries.filter((entry) => !(entry.manager === manager && entry.operation === 'Apply')),
    {
      manager,
      operation: 'Apply',
      apiVersion: String(applied.apiVersion ?? existing?.apiVersion ?? ''),
      time: input.now,
      fieldsType: 'FieldsV1',
      fieldsV1: next,
    },
  ];
  return merged;
}
