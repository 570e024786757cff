// The three JSON patch formats of the Kubernetes API: JSON merge patch (RFC
// 7386), JSON patch (RFC 6902) and, for built-in kinds only, strategic merge
// patch. The strategic merge here covers what kubectl sends for namespaces
// and pods: directive keys (`$patch`, `$setElementOrder/...`, `$retainKeys`)
// and lists of objects merged by their `name` (the merge key of containers,
// volumes and env); other lists are replaced, as with a merge patch.
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

function mergeNamedLists(target: Json[], patch: Json[]): Json[] {
  const result = [...target];
  for (const item of patch) {
    if (!isObject(item)) continue;
    const index = result.findIndex((existing) => isObject(existing) && existing.name === item.name);
    if (item.$patch === 'delete') {
      if (index >= 0) result.splice(index, 1);
    } else if (index >= 0) {
      result[index] = strategicMergePatch(result[index], item);
    } else {
      result.push(strategicMergePatch({}, item));
    }
  }
  return result;
}

export function strategicMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch;
  if (patch.$patch === 'replace') {
    const { $patch: _directive, ...rest } = patch;
    return strategicMergePatch({}, rest);
  }
  if (patch.$patch === 'delete') return undefined;
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue;
    const isNamedList =
      Array.isArray(value) &&
      Array.isArray(result[key]) &&
      value.every((item) => isObject(item) && typeof item.name === 'string');
    if (value === null) delete result[key];
    else if (isNamedList) result[key] = mergeNamedLists(result[key] as Json[], value as Json[]);
    else if (Array.isArray(value)) result[key] = value.map((item) => strategicMergePatch({}, item));
    else result[key] = strategicMergePatch(result[key], value);
  }
  return result;
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
