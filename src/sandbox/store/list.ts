// Paginated lists. Like the apiserver's etcd storage, every page of a list is
// served from the snapshot of the first page: the continue token carries that
// resourceVersion and the last key returned. The store rewinds its current
// state through the change history to rebuild the snapshot, so pages stay
// consistent while objects change in between; once the history no longer
// reaches back that far the token has expired (410), as on a real server.
import { badRequest, expired } from './errors';
import type { History } from './history';
import type { ObjectPredicate } from './selectors';
import { compareKeys, objectKey, type ResourceTable } from './table';
import type { KubeObject, ListOptions, ListResult, ResourceType } from './types';

interface ContinueToken {
  resourceVersion: number;
  start: string;
}

const tokenVersion = 'meta.k8s.io/v1';

export function encodeContinue(token: ContinueToken): string {
  const json = JSON.stringify({ v: tokenVersion, rv: token.resourceVersion, start: token.start });
  return Buffer.from(json).toString('base64url');
}

export function decodeContinue(text: string, currentResourceVersion: number): ContinueToken {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('continue key is not valid: not a base64-encoded JSON document');
  }
  const fields = (parsed ?? {}) as { v?: unknown; rv?: unknown; start?: unknown };
  const { v, rv, start } = fields;
  if (v !== tokenVersion || typeof start !== 'string' || typeof rv !== 'number') {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion');
  }
  if (!Number.isSafeInteger(rv) || rv <= 0 || rv > currentResourceVersion) {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion');
  }
  return { resourceVersion: rv, start };
}

const expiredContinueMessage =
  'The provided continue parameter is too old to display a consistent list result. ' +
  'You can start a new list without the continue parameter.';

interface Snapshot {
  keys: string[];
  lookup: (key: string) => KubeObject | undefined;
}

function rewound(input: {
  table: ResourceTable;
  history: History;
  resource: ResourceType;
  namespace: string | undefined;
  resourceVersion: number;
}): Snapshot {
  const { table, history, resource, namespace, resourceVersion } = input;
  if (!history.covers(resourceVersion)) throw expired(expiredContinueMessage);

  const objects = table.entries(namespace);
  const changes = history.since(resourceVersion);
  for (let index = changes.length - 1; index >= 0; index--) {
    const change = changes[index];
    if (change === undefined || change.event.resource !== resource) continue;
    const { metadata } = change.event.object;
    if (namespace !== undefined && metadata.namespace !== namespace) continue;
    const key = objectKey(metadata.namespace, metadata.name);
    if (change.previous === undefined) objects.delete(key);
    else objects.set(key, change.previous);
  }
  return { keys: [...objects.keys()].sort(compareKeys), lookup: (key) => objects.get(key) };
}

function firstIndexAfter(keys: string[], start: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((keys[middle] ?? '') <= start) low = middle + 1;
    else high = middle;
  }
  return low;
}

export function listPage(input: {
  table: ResourceTable;
  history: History;
  resource: ResourceType;
  options: ListOptions;
  predicate: ObjectPredicate | undefined;
  currentResourceVersion: number;
}): ListResult {
  const { table, options, predicate, currentResourceVersion } = input;
  const namespace = input.resource.namespaced ? options.namespace : undefined;
  const token =
    options.continue === undefined || options.continue === ''
      ? undefined
      : decodeContinue(options.continue, currentResourceVersion);
  const snapshotVersion = token?.resourceVersion ?? currentResourceVersion;

  const snapshot: Snapshot =
    snapshotVersion >= table.lastChange
      ? { keys: table.sortedKeys(namespace), lookup: (key) => table.getByKey(key) }
      : rewound({ ...input, namespace, resourceVersion: snapshotVersion });

  const limit = options.limit !== undefined && options.limit > 0 ? options.limit : Infinity;
  const items: KubeObject[] = [];
  let index = token === undefined ? 0 : firstIndexAfter(snapshot.keys, token.start);
  let lastKey = '';
  for (; index < snapshot.keys.length && items.length < limit; index++) {
    const key = snapshot.keys[index] ?? '';
    const object = snapshot.lookup(key);
    if (object === undefined || (predicate !== undefined && !predicate(object))) continue;
    items.push(object);
    lastKey = key;
  }

  const result: ListResult = { items, resourceVersion: String(snapshotVersion) };
  if (index < snapshot.keys.length) {
    result.continue = encodeContinue({ resourceVersion: snapshotVersion, start: lastKey });
    if (predicate === undefined) result.remainingItemCount = snapshot.keys.length - index;
  }
  return result;
}
