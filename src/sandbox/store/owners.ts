// The garbage collector's view of ownerReferences: which objects each uid
// owns, and which uids still exist, so deleting an owner can take its
// dependents with it (background propagation) or release them (orphan).
import type { KubeObject, ResourceType } from './types';

export interface ObjectRef {
  resource: ResourceType;
  namespace: string;
  name: string;
  uid: string;
}

function refKey(ref: ObjectRef): string {
  return `${ref.resource.group}/${ref.resource.resource}/${ref.namespace}/${ref.name}`;
}

export class OwnerIndex {
  private readonly dependents = new Map<string, Map<string, ObjectRef>>();
  private readonly liveUids = new Set<string>();

  private refOf(resource: ResourceType, object: KubeObject): ObjectRef {
    const namespace = resource.namespaced ? (object.metadata.namespace ?? '') : '';
    return { resource, namespace, name: object.metadata.name, uid: object.metadata.uid ?? '' };
  }

  add(resource: ResourceType, object: KubeObject): void {
    const ref = this.refOf(resource, object);
    this.liveUids.add(ref.uid);
    for (const owner of object.metadata.ownerReferences ?? []) {
      let owned = this.dependents.get(owner.uid);
      if (owned === undefined) {
        owned = new Map();
        this.dependents.set(owner.uid, owned);
      }
      owned.set(refKey(ref), ref);
    }
  }

  remove(resource: ResourceType, object: KubeObject, options: { isGone: boolean }): void {
    const ref = this.refOf(resource, object);
    if (options.isGone) this.liveUids.delete(ref.uid);
    for (const owner of object.metadata.ownerReferences ?? []) {
      const owned = this.dependents.get(owner.uid);
      owned?.delete(refKey(ref));
      if (owned?.size === 0) this.dependents.delete(owner.uid);
    }
  }

  dependentsOf(uid: string): ObjectRef[] {
    return [...(this.dependents.get(uid)?.values() ?? [])];
  }

  /** Whether any owner of `object` other than `goneUid` still exists. */
  hasOtherLiveOwner(object: KubeObject, goneUid: string): boolean {
    return (object.metadata.ownerReferences ?? []).some(
      (owner) => owner.uid !== goneUid && this.liveUids.has(owner.uid),
    );
  }
}
