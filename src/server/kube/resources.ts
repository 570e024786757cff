// The Kubernetes resources Deckhand watches and the URL paths that reach them.
import type { StoreKind } from '../store/types';

/** One watched resource. */
export interface WatchedResource {
  kind: StoreKind;
  /** API group, empty for the core group. */
  group: string;
  version: string;
  plural: string;
  /** Only objects carrying this label (instance pods and PVCs). */
  labelSelector?: string;
  /**
   * A missing resource (404: its CRD is not installed) means there are no
   * such objects, not a fault: the Barman Cloud plugin is optional.
   */
  isOptional?: boolean;
}

const CNPG_GROUP = 'postgresql.cnpg.io';

/** Everything a Deckhand server watches. */
export const WATCHED_RESOURCES: readonly WatchedResource[] = [
  { kind: 'clusters', group: CNPG_GROUP, version: 'v1', plural: 'clusters' },
  { kind: 'backups', group: CNPG_GROUP, version: 'v1', plural: 'backups' },
  { kind: 'scheduledbackups', group: CNPG_GROUP, version: 'v1', plural: 'scheduledbackups' },
  { kind: 'pods', group: '', version: 'v1', plural: 'pods', labelSelector: 'cnpg.io/cluster' },
  {
    kind: 'pvcs',
    group: '',
    version: 'v1',
    plural: 'persistentvolumeclaims',
    labelSelector: 'cnpg.io/cluster',
  },
  {
    kind: 'objectstores',
    group: 'barmancloud.cnpg.io',
    version: 'v1',
    plural: 'objectstores',
    isOptional: true,
  },
];

/** The collection path of a resource, cluster-wide or in one namespace. */
export function collectionPath(resource: WatchedResource, namespace?: string): string {
  const base =
    resource.group === ''
      ? `/api/${resource.version}`
      : `/apis/${resource.group}/${resource.version}`;
  const scope = namespace === undefined ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
  return `${base}${scope}/${resource.plural}`;
}
