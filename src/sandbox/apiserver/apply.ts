// Server-side apply (`kubectl apply --server-side`, content type
// application/apply-patch+yaml), following the apiserver's field manager:
//
// - The configuration is merged into the stored object by the schema's list
//   types (see fieldpath.ts): objects field by field, map lists item by item
//   by their keys, set lists value by value, anything else replaced whole.
// - Fields the manager applied last time and leaves out now are removed,
//   unless another manager also owns them.
// - A field another manager owns whose value would change is a conflict (409)
//   unless the apply forces it, which moves the field to the applier. Equal
//   values are shared, not conflicts.
// - An apply that changes nothing keeps the stored managedFields, times
//   included, so the store sees no change: same resourceVersion, no event.
//
// Not modelled: version conversion of field sets (the sandbox serves one
// version per resource) and the re-keying of field sets after a CRD's list
// types change.
import { ApiError, invalid } from '../store/errors';
import type { KubeObject } from '../store/types';
import {
  checkAppliedList,
  childrenOf,
  childSchema,
  findChild,
  formatPath,
  isObject,
  itemStep,
  joinPath,
  shapeOf,
  stepsOf,
  type FieldSchema,
  type PathSet,
  type Shape,
} from './fieldpath';
import { appliedPaths } from './fieldsets';
import {
  decodeManagers,
  encodeManagers,
  ownable,
  ownedChanges,
  releaseChanged,
  sameManager,
  type Manager,
  type WriteScope,
} from './managed';

type JsonObject = Record<string, unknown>;

/** Metadata the apiserver sets; a configuration naming it changes nothing. */
const serverSetMetadata = new Set(['uid', 'resourceVersion', 'generation', 'creationTimestamp']);

/** The manager named by the request; the apiserver refuses an apply without one. */
export function applyManager(url: URL): string {
  const manager = url.searchParams.get('fieldManager') ?? '';
  const cause =
    manager === ''
      ? { reason: 'FieldValueRequired', message: 'Required value: is required for apply patch' }
      : manager.length > 128
        ? { reason: 'FieldValueTooLong', message: 'Too long: may not be more than 128 bytes' }
        : undefined;
  if (cause === undefined) return manager;
  throw invalid({
    kind: 'PatchOptions',
    group: 'meta.k8s.io',
    name: '',
    causes: [{ ...cause, field: 'fieldManager' }],
  });
}

function mergeValues(live: unknown, applied: unknown, schema: FieldSchema | undefined): unknown {
  const shape = shapeOf(applied, schema);
  if (shape.kind === 'object') return mergeObjects(live, applied as JsonObject, schema);
  if (shape.kind === 'atomic' || !Array.isArray(live) || !Array.isArray(applied)) {
    return structuredClone(applied);
  }
  if (shapeOf(live, schema).kind !== shape.kind) return structuredClone(applied);
  return mergeLists({ live, applied, schema, shape });
}

function mergeObjects(
  live: unknown,
  applied: JsonObject,
  schema: FieldSchema | undefined,
): JsonObject {
  const result: JsonObject = isObject(live) ? { ...live } : {};
  for (const [field, value] of Object.entries(applied)) {
    // A null in a configuration sets nothing and owns nothing.
    if (value === null) continue;
    result[field] = mergeValues(result[field], value, childSchema(schema, field));
  }
  return result;
}

/**
 * Merges two keyed lists the way the apiserver orders them: items in both
 * follow the applied order, stored-only items keep their place among them,
 * applied-only items come where the configuration puts them.
 */
function mergeLists(input: {
  live: unknown[];
  applied: unknown[];
  schema: FieldSchema | undefined;
  shape: Shape;
}): unknown[] {
  const { live, applied, schema, shape } = input;
  const stepOf = (item: unknown): string => itemStep(item, { schema, shape });
  const liveSteps = live.map(stepOf);
  const appliedSteps = applied.map(stepOf);
  const liveItems = new Map(liveSteps.map((step, index) => [step, live[index]]));
  const appliedSet = new Set(appliedSteps);
  const shared = appliedSteps.filter((step) => liveItems.has(step));
  const merged: unknown[] = [];
  const done = new Set<string>();
  let nextShared = 0;
  const takeApplied = (index: number): void => {
    const step = appliedSteps[index] ?? '';
    merged.push(mergeValues(liveItems.get(step), applied[index], schema?.items));
    done.add(step);
    if (shared[nextShared] === step) nextShared++;
  };

  let l = 0;
  let r = 0;
  while (l < live.length || r < applied.length) {
    const liveStep = liveSteps[l] ?? '';
    const hasBoth = l < live.length && r < applied.length;
    if (hasBoth && liveStep === appliedSteps[r]) {
      takeApplied(r);
      l++;
      r++;
    } else if (l < live.length && !appliedSet.has(liveStep)) {
      merged.push(live[l]);
      l++;
    } else if (
      l < live.length &&
      (done.has(liveStep) || (hasBoth && liveStep !== shared[nextShared]))
    ) {
      l++;
    } else {
      takeApplied(r);
      r++;
    }
  }
  return merged;
}

/**
 * Removes `path` from a value. Key fields of a map-list item stay: the item
 * itself remains while anyone owns part of it.
 */
function removePath(root: unknown, input: { path: string; schema: FieldSchema }): void {
  const steps = stepsOf(input.path);
  let container = root;
  let schema: FieldSchema | undefined = input.schema;
  let keyFields: string[] = [];
  for (const step of steps.slice(0, -1)) {
    const shape = shapeOf(container, schema);
    const child = findChild(container, { step, schema });
    if (child === undefined) return;
    keyFields = shape.kind === 'mapList' ? shape.keys : [];
    container = child.value;
    schema = child.schema;
  }
  const last = steps.at(-1) ?? '';
  if (last.startsWith('f:') && isObject(container)) {
    if (!keyFields.includes(last.slice(2))) delete container[last.slice(2)];
    return;
  }
  if (!Array.isArray(container)) return;
  const shape = shapeOf(container, schema);
  const index = container.findIndex((item) => itemStep(item, { schema, shape }) === last);
  if (index >= 0) container.splice(index, 1);
}

/** Drops what the manager applied before and no longer does, unless someone still owns it. */
function pruneDropped(
  object: KubeObject,
  input: { previous: PathSet; kept: PathSet; schema: FieldSchema },
): void {
  const leadsToKept = new Set<string>();
  for (const path of input.kept) {
    const steps = stepsOf(path);
    for (let length = 1; length < steps.length; length++) {
      leadsToKept.add(steps.slice(0, length).join('\n'));
    }
  }
  const dropped = [...input.previous]
    .filter((path) => !input.kept.has(path) && !leadsToKept.has(path))
    .sort((a, b) => stepsOf(a).length - stepsOf(b).length);
  for (const path of dropped) removePath(object, { path, schema: input.schema });
}

function printManager(entry: Manager): string {
  const name = JSON.stringify(entry.manager);
  return entry.operation === 'Update' ? `${name} using ${entry.apiVersion}` : name;
}

/** The apiserver's conflict error: one line for one conflict, a list per manager otherwise. */
function conflictError(conflicts: { owner: Manager; path: string }[]): ApiError {
  const causes = conflicts.map(({ owner, path }) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(owner)}`,
    field: formatPath(path),
  }));
  const [only] = conflicts;
  let message: string;
  if (conflicts.length === 1 && only !== undefined) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(only.owner)}: ${formatPath(only.path)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const { owner, path } of conflicts) {
      const key = printManager(owner);
      byManager.set(key, [...(byManager.get(key) ?? []), formatPath(path)]);
    }
    const lines = [...byManager.keys()]
      .sort()
      .flatMap((key) => [
        `conflicts with ${key}:`,
        ...(byManager.get(key) ?? []).map((path) => `- ${path}`),
      ]);
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new ApiError({ code: 409, reason: 'Conflict', message, details: { causes } });
}

function findConflicts(others: Manager[], changed: PathSet): { owner: Manager; path: string }[] {
  return others.flatMap((owner) =>
    [...owner.paths]
      .filter((path) => changed.has(path))
      .sort()
      .map((path) => ({ owner, path })),
  );
}

/** The configuration's fields that apply may set: never server-set metadata, never another part's status. */
function appliedBody(applied: JsonObject, scope: WriteScope): JsonObject {
  const body: JsonObject = { ...applied };
  if (isObject(applied.metadata)) {
    const metadata = Object.entries(applied.metadata).filter(
      ([field]) => !serverSetMetadata.has(field),
    );
    body.metadata = Object.fromEntries(metadata);
  }
  if (scope.hasStatus && scope.subresource !== 'status') delete body.status;
  return body;
}

/** Checks every map list of the configuration before anything is merged. */
function checkAppliedLists(
  value: unknown,
  input: { schema: FieldSchema | undefined; path: string },
): void {
  if (Array.isArray(value)) checkAppliedList(value, input);
  const shape = shapeOf(value, input.schema);
  for (const child of childrenOf(value, input.schema, shape)) {
    checkAppliedLists(child.value, {
      schema: child.schema,
      path: joinPath(input.path, child.step),
    });
  }
}

/**
 * The object an apply produces, from the stored one (if any) and the
 * configuration. `admit` gives the merged object as the store would keep it
 * (defaults filled in), which is what ownership and conflicts are judged on,
 * as the apiserver judges them on its defaulted objects.
 */
export function applyConfiguration(input: {
  existing: KubeObject | undefined;
  applied: JsonObject;
  manager: string;
  isForced: boolean;
  schema: FieldSchema;
  scope: WriteScope;
  now: string;
  admit: (object: KubeObject) => KubeObject;
}): KubeObject {
  const { existing, schema, scope } = input;
  const body = appliedBody(input.applied, scope);
  checkAppliedLists(body, { schema, path: '' });
  const managers = decodeManagers(existing?.metadata.managedFields) ?? [];
  const own: Omit<Manager, 'paths'> = {
    manager: input.manager,
    operation: 'Apply',
    apiVersion: String(body.apiVersion ?? existing?.apiVersion ?? ''),
    ...(scope.subresource === undefined ? {} : { subresource: scope.subresource }),
  };
  const previous = managers.find((entry) => sameManager(entry, own));
  const others = managers.filter((entry) => entry !== previous);
  const paths = ownable(appliedPaths(body, schema), scope);

  const base = existing === undefined ? {} : structuredClone(existing);
  const merged = mergeValues(base, body, schema) as KubeObject;
  const kept = new Set([...paths, ...others.flatMap((entry) => [...entry.paths])]);
  pruneDropped(merged, { previous: previous?.paths ?? new Set(), kept, schema });

  const after = input.admit(merged);
  const changes = ownedChanges({ before: existing ?? {}, after, schema, scope });
  const changed = new Set([...changes.added, ...changes.modified]);
  const conflicts = findConflicts(others, changed);
  if (conflicts.length > 0 && !input.isForced) throw conflictError(conflicts);

  // The applier's time moves only when the object changes; an apply that
  // changes nothing then leaves managedFields, and so the object, as stored.
  const isChanged = changed.size > 0 || changes.removed.size > 0;
  const time = isChanged || previous?.time === undefined ? input.now : previous.time;
  const entries = encodeManagers([...releaseChanged(others, changes), { ...own, time, paths }]);
  merged.metadata = { ...merged.metadata, managedFields: entries };
  return merged;
}
