// Objects of one resource, indexed by namespace, with keys sorted the way etcd
// sorts them (`namespace/name`), so list pages come in the order real clients see.
import type { KubeObject } from './types';

export function objectKey(namespace: string | undefined, name: string): string {
  return namespace === undefined || namespace === '' ? name : `${namespace}/${name}`;
}

function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

export class ResourceTable {
  private readonly byNamespace = new Map<string, Map<string, KubeObject>>();
  private sortedAll: string[] | undefined;
  private readonly sortedByNamespace = new Map<string, string[]>();
  /** resourceVersion of the last change to this resource, for snapshot shortcuts. */
  lastChange = 0;
  size = 0;

  get(namespace: string, name: string): KubeObject | undefined {
    return this.byNamespace.get(namespace)?.get(name);
  }

  set(namespace: string, name: string, object: KubeObject): void {
    let objects = this.byNamespace.get(namespace);
    if (objects === undefined) {
      objects = new Map();
      this.byNamespace.set(namespace, objects);
    }
    if (!objects.has(name)) {
      this.size++;
      this.invalidate(namespace);
    }
    objects.set(name, object);
  }

  remove(namespace: string, name: string): void {
    const objects = this.byNamespace.get(namespace);
    if (objects === undefined || !objects.delete(name)) return;
    this.size--;
    this.invalidate(namespace);
    if (objects.size === 0) this.byNamespace.delete(namespace);
  }

  private invalidate(namespace: string): void {
    this.sortedAll = undefined;
    this.sortedByNamespace.delete(namespace);
  }

  /** Sorted keys, of one namespace or of all; cached until an object is added or removed. */
  sortedKeys(namespace: string | undefined): string[] {
    if (namespace === undefined) {
      this.sortedAll ??= this.collectKeys(undefined).sort(compareKeys);
      return this.sortedAll;
    }
    let keys = this.sortedByNamespace.get(namespace);
    if (keys === undefined) {
      keys = this.collectKeys(namespace).sort(compareKeys);
      this.sortedByNamespace.set(namespace, keys);
    }
    return keys;
  }

  private collectKeys(namespace: string | undefined): string[] {
    const keys: string[] = [];
    for (const [ns, objects] of this.byNamespace) {
      if (namespace !== undefined && ns !== namespace) continue;
      for (const name of objects.keys()) keys.push(objectKey(ns, name));
    }
    return keys;
  }

  getByKey(key: string): KubeObject | undefined {
    const slash = key.indexOf('/');
    if (slash < 0) return this.get('', key);
    return this.get(key.slice(0, slash), key.slice(slash + 1));
  }

  /** A copy of the key → object map, the starting point of a rewound snapshot. */
  entries(namespace: string | undefined): Map<string, KubeObject> {
    const result = new Map<string, KubeObject>();
    for (const [ns, objects] of this.byNamespace) {
      if (namespace !== undefined && ns !== namespace) continue;
      for (const [name, object] of objects) result.set(objectKey(ns, name), object);
    }
    return result;
  }
}

export { compareKeys };
