// The resources the sandbox serves. The CNPG entries mirror the CRDs' names,
// scope, subresources and printer columns (postgresql.cnpg.io and
// barmancloud.cnpg.io at CNPG 1.30 / plugin-barman-cloud 0.14), so discovery
// and `kubectl get` look as they do on a real cluster even without a CRD folder.
// Those CRDs declare no categories, so `kubectl get all` lists pods only, as
// on a real cluster; of the built-in kinds served here only pods are in `all`.
import type { PrinterColumn, ResourceType } from './types';

const age: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

const clusterColumns: PrinterColumn[] = [
  age,
  {
    name: 'Instances',
    type: 'integer',
    jsonPath: '.status.instances',
    description: 'Number of instances',
  },
  {
    name: 'Ready',
    type: 'integer',
    jsonPath: '.status.readyInstances',
    description: 'Number of ready instances',
  },
  {
    name: 'Status',
    type: 'string',
    jsonPath: '.status.phase',
    description: 'Cluster current status',
  },
  {
    name: 'Primary',
    type: 'string',
    jsonPath: '.status.currentPrimary',
    description: 'Primary pod',
  },
];

const backupColumns: PrinterColumn[] = [
  age,
  { name: 'Cluster', type: 'string', jsonPath: '.spec.cluster.name' },
  { name: 'Method', type: 'string', jsonPath: '.spec.method' },
  { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
  { name: 'Error', type: 'string', jsonPath: '.status.error' },
];

const scheduledBackupColumns: PrinterColumn[] = [
  age,
  { name: 'Cluster', type: 'string', jsonPath: '.spec.cluster.name' },
  { name: 'Last Backup', type: 'date', jsonPath: '.status.lastScheduleTime' },
];

export const builtinResources: ResourceType[] = [
  {
    group: '',
    version: 'v1',
    resource: 'namespaces',
    kind: 'Namespace',
    listKind: 'NamespaceList',
    singular: 'namespace',
    namespaced: false,
    shortNames: ['ns'],
    hasStatus: true,
  },
  {
    group: '',
    version: 'v1',
    resource: 'pods',
    kind: 'Pod',
    listKind: 'PodList',
    singular: 'pod',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    hasStatus: true,
  },
  {
    group: '',
    version: 'v1',
    resource: 'persistentvolumeclaims',
    kind: 'PersistentVolumeClaim',
    listKind: 'PersistentVolumeClaimList',
    singular: 'persistentvolumeclaim',
    namespaced: true,
    shortNames: ['pvc'],
    hasStatus: true,
  },
  {
    group: '',
    version: 'v1',
    resource: 'events',
    kind: 'Event',
    listKind: 'EventList',
    singular: 'event',
    namespaced: true,
    shortNames: ['ev'],
    hasStatus: false,
  },
  {
    group: 'postgresql.cnpg.io',
    version: 'v1',
    resource: 'clusters',
    kind: 'Cluster',
    listKind: 'ClusterList',
    singular: 'cluster',
    namespaced: true,
    hasStatus: true,
    printerColumns: clusterColumns,
  },
  {
    group: 'postgresql.cnpg.io',
    version: 'v1',
    resource: 'backups',
    kind: 'Backup',
    listKind: 'BackupList',
    singular: 'backup',
    namespaced: true,
    hasStatus: true,
    printerColumns: backupColumns,
  },
  {
    group: 'postgresql.cnpg.io',
    version: 'v1',
    resource: 'scheduledbackups',
    kind: 'ScheduledBackup',
    listKind: 'ScheduledBackupList',
    singular: 'scheduledbackup',
    namespaced: true,
    hasStatus: true,
    printerColumns: scheduledBackupColumns,
  },
  {
    group: 'barmancloud.cnpg.io',
    version: 'v1',
    resource: 'objectstores',
    kind: 'ObjectStore',
    listKind: 'ObjectStoreList',
    singular: 'objectstore',
    namespaced: true,
    hasStatus: true,
  },
];

export function apiVersionOf(resource: ResourceType): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}
