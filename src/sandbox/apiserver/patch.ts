// The three JSON patch formats of the Kubernetes API: JSON merge patch (RFC
// 7386), JSON patch (RFC 6902) and, for built-in kinds only, strategic merge
// patch. The strategic merge here covers what kubectl sends for namespaces,
// pods and PVCs: the directives (`$patch`, `$retainKeys`,
// `$deleteFromPrimitiveList/...`; `$setElementOrder/...` is accepted and
// ignored) and the merge strategy of each list those kinds' types declare;
// other lists are replaced, as with a merge patch.
import { ApiError, badRequest } from '../store/errors';

type Json = unknown;
type JsonObject = Record<string, Json>;

function isObject(value: Json): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function unprocessable(message: string): ApiError {
  return new ApiError({ code: 422, reason: 'Invalid', message });
}

export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/**
 * How a list of a built-in kind merges, by its path with list indexes left
 * out: by a key field, as a set of primitives, or (any list not named here)
 * replaced whole. These are the `patchStrategy`/`patchMergeKey` tags of the
 * Kubernetes types for the fields of pods, PVCs and namespaces that kubectl
 * patches send; custom resources never get here (the API refuses strategic
 * merge for them).
 */
type ListStrategy = { mergeKey: string } | 'set';

const containerLists = ['containers', 'initContainers', 'ephemeralContainers'];

const listStrategies = new Map<string, ListStrategy>([
  ['metadata.finalizers', 'set'],
  ['metadata.ownerReferences', { mergeKey: 'uid' }],
  ...containerLists.flatMap((list): [string, ListStrategy][] => [
    [`spec.${list}`, { mergeKey: 'name' }],
    [`spec.${list}.env`, { mergeKey: 'name' }],
    [`spec.${list}.ports`, { mergeKey: 'containerPort' }],
    [`spec.${list}.volumeMounts`, { mergeKey: 'mountPath' }],
    [`spec.${list}.volumeDevices`, { mergeKey: 'devicePath' }],
  ]),
  ['spec.volumes', { mergeKey: 'name' }],
  ['spec.imagePullSecrets', { mergeKey: 'name' }],
  ['spec.hostAliases', { mergeKey: 'ip' }],
  ['spec.topologySpreadConstraints', { mergeKey: 'topologyKey' }],
  ['status.conditions', { mergeKey: 'type' }],
]);

function childPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** A keyed list: items matched on `mergeKey`, `$patch: delete` removes one. */
function mergeKeyedList(target: Json[], patch: Json[], mergeKey: string, path: string): Json[] {
  const result = [...target];
  for (const item of patch) {
    if (!isObject(item)) continue;
    const index = result.findIndex(
      (existing) => isObject(existing) && existing[mergeKey] === item[mergeKey],
    );
    if (item.$patch === 'delete') {
      if (index >= 0) result.splice(index, 1);
    } else if (index >= 0) {
      result[index] = mergeAt(result[index], item, path);
    } else {
      result.push(mergeAt({}, item, path));
    }
  }
  return result;
}

function mergeSet(target: Json[], patch: Json[]): Json[] {
  return [...target, ...patch.filter((item) => !target.includes(item))];
}

function mergeList(target: Json, patch: Json[], path: string): Json[] {
  // A `{"$patch": "replace"}` item asks for the rest of the list as given.
  const isReplace = patch.some((item) => isObject(item) && item.$patch === 'replace');
  const items = patch.filter((item) => !(isObject(item) && item.$patch === 'replace'));
  const strategy = listStrategies.get(path);
  if (isReplace || strategy === undefined || !Array.isArray(target)) {
    return items.map((item) => mergeAt(undefined, item, path));
  }
  if (strategy === 'set') return mergeSet(target, items);
  return mergeKeyedList(target, items, strategy.mergeKey, path);
}

/** Applies the `$deleteFromPrimitiveList/<field>` and `$retainKeys` directives. */
function applyDirectives(result: JsonObject, patch: JsonObject): void {
  for (const [key, value] of Object.entries(patch)) {
    const field = key.startsWith('$deleteFromPrimitiveList/') ? key.slice(25) : undefined;
    if (field === undefined || !Array.isArray(value)) continue;
    const current = result[field];
    if (Array.isArray(current)) result[field] = current.filter((item) => !value.includes(item));
  }
  const retained = patch.$retainKeys;
  if (Array.isArray(retained)) {
    for (const key of Object.keys(result)) if (!retained.includes(key)) delete result[key];
  }
}

function mergeAt(target: Json, patch: Json, path: string): Json {
  if (!isObject(patch)) return patch;
  if (patch.$patch === 'replace') {
    const { $patch: _directive, ...rest } = patch;
    return mergeAt({}, rest, path);
  }
  if (patch.$patch === 'delete') return undefined;
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    // `$setElementOrder` only orders lists; the sandbox keeps the merged order.
    if (key.startsWith('$')) continue;
    if (value === null) delete result[key];
    else if (Array.isArray(value))
      result[key] = mergeList(result[key], value, childPath(path, key));
    else result[key] = mergeAt(result[key], value, childPath(path, key));
  }
  applyDirectives(result, patch);
  return result;
}

/** Strategic merge patch of a built-in kind's object. */
export function strategicMergePatch(target: Json, patch: Json): Json {
  return mergeAt(target, patch, '');
}

function pointer(path: unknown): string[] {
  if (typeof path !== 'string' || (path !== '' && !path.startsWith('/'))) {
    throw badRequest(`invalid JSON pointer: ${JSON.stringify(path)}`);
  }
  return path === ''
    ? []
    : path
        .slice(1)
        .split('/')
        .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function parentOf(document: Json, parts: string[], op: string): { parent: Json; key: string } {
  let current = document;
  for (const part of parts.slice(0, -1)) {
    if (Array.isArray(current)) current = current[Number(part)];
    else if (isObject(current) && Object.hasOwn(current, part)) current = current[part];
    else
      throw unprocessable(
        `jsonpatch ${op} operation does not apply: doc is missing path: /${parts.join('/')}`,
      );
  }
  return { parent: current, key: parts[parts.length - 1] ?? '' };
}

function read(document: Json, parts: string[], op: string): Json {
  if (parts.length === 0) return document;
  const { parent, key } = parentOf(document, parts, op);
  const value = Array.isArray(parent)
    ? parent[Number(key)]
    : isObject(parent)
      ? parent[key]
      : undefined;
  if (value === undefined) {
    throw unprocessable(
      `jsonpatch ${op} operation does not apply: doc is missing key: /${parts.join('/')}`,
    );
  }
  return value;
}

function arrayIndex(list: Json[], key: string, options: { isInsert: boolean }): number {
  if (key === '-' && options.isInsert) return list.length;
  const index = Number(key);
  const limit = options.isInsert ? list.length : list.length - 1;
  if (!/^\d+$/.test(key) || index > limit)
    throw unprocessable(`jsonpatch: index out of range: ${key}`);
  return index;
}

function write(document: Json, parts: string[], value: Json, options: { isInsert: boolean }): Json {
  if (parts.length === 0) return value;
  const { parent, key } = parentOf(document, parts, options.isInsert ? 'add' : 'replace');
  if (Array.isArray(parent)) {
    const index = arrayIndex(parent, key, options);
    parent.splice(index, options.isInsert ? 0 : 1, value);
  } else if (isObject(parent)) {
    if (!options.isInsert && !Object.hasOwn(parent, key)) {
      throw unprocessable(
        `jsonpatch replace operation does not apply: doc is missing key: /${parts.join('/')}`,
      );
    }
    parent[key] = value;
  } else {
    throw unprocessable(
      `jsonpatch operation does not apply: /${parts.join('/')} has no parent object`,
    );
  }
  return document;
}

function removeAt(document: Json, parts: string[]): Json {
  read(document, parts, 'remove');
  const { parent, key } = parentOf(document, parts, 'remove');
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, { isInsert: false }), 1);
  else if (isObject(parent)) delete parent[key];
  return document;
}

function applyOperation(document: Json, operation: Json): Json {
  if (!isObject(operation)) throw badRequest('a JSON patch operation must be an object');
  const path = pointer(operation.path);
  switch (operation.op) {
    case 'add':
      return write(document, path, structuredClone(operation.value), { isInsert: true });
    case 'replace':
      read(document, path, 'replace');
      return write(document, path, structuredClone(operation.value), { isInsert: false });
    case 'remove':
      return removeAt(document, path);
    case 'copy':
    case 'move': {
      const from = pointer(operation.from);
      const value = structuredClone(read(document, from, String(operation.op)));
      const afterRemoval = operation.op === 'move' ? removeAt(document, from) : document;
      return write(afterRemoval, path, value, { isInsert: true });
    }
    case 'test':
      if (JSON.stringify(read(document, path, 'test')) !== JSON.stringify(operation.value)) {
        throw unprocessable(`the test operation failed at ${String(operation.path)}`);
      }
      return document;
    default:
      throw badRequest(`unknown JSON patch operation: ${JSON.stringify(operation.op)}`);
  }
}

export function jsonPatch(target: Json, patch: Json): Json {
  if (!Array.isArray(patch)) throw badRequest('a JSON patch must be an array of operations');
  let document = structuredClone(target);
  for (const operation of patch) document = applyOperation(document, operation);
  return document;
}
