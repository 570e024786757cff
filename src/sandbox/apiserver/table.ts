// meta.k8s.io/v1 Table responses, which `kubectl get` asks for: the server
// picks the columns (a CRD's additionalPrinterColumns, or the built-in ones
// of pods and namespaces) and renders ages as the apiserver does.
import type { KubeObject, PrinterColumn, ResourceType } from '../store/types';

interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

type Cell = string | number | boolean | null;
type CellReader = (object: KubeObject, now: Date) => Cell;

interface Column {
  definition: ColumnDefinition;
  read: CellReader;
}

/** Kubernetes' HumanDuration: `45s`, `3m12s`, `2h5m`, `4d6h`, `2y30d`. */
export function humanDuration(milliseconds: number): string {
  const seconds = Math.floor(milliseconds / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  const withRest = (big: number, bigUnit: string, small: number, smallUnit: string): string =>
    small === 0 ? `${big}${bigUnit}` : `${big}${bigUnit}${small}${smallUnit}`;
  if (minutes < 10) return withRest(minutes, 'm', seconds % 60, 's');
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return withRest(hours, 'h', minutes % 60, 'm');
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return withRest(Math.floor(hours / 24), 'd', hours % 24, 'h');
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    return withRest(Math.floor(hours / 24 / 365), 'y', Math.floor(hours / 24) % 365, 'd');
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

function age(timestamp: unknown, now: Date): Cell {
  if (typeof timestamp !== 'string') return '<unknown>';
  const at = Date.parse(timestamp);
  return Number.isNaN(at) ? '<unknown>' : humanDuration(now.getTime() - at);
}

/**
 * A jsonPath of the simple forms printer columns use: `.a.b`, `.a[0].b` and
 * `.a[?(@.k=='v')].b`.
 */
export function readJsonPath(object: unknown, jsonPath: string): unknown {
  const steps = jsonPath.match(/\[\?\(@\.[^)]*\)\]|\[\d+\]|\.[^.[]+/g) ?? [];
  let current: unknown = object;
  for (const step of steps) {
    if (current === null || typeof current !== 'object') return undefined;
    if (step.startsWith('.')) {
      current = (current as Record<string, unknown>)[step.slice(1)];
    } else if (step.startsWith('[?')) {
      const filter = /^\[\?\(@\.([\w-]+)\s*==\s*['"]([^'"]*)['"]\)\]$/.exec(step);
      if (filter === null || !Array.isArray(current)) return undefined;
      const [, key = '', value] = filter;
      current = current.find(
        (item: unknown) => (item as Record<string, unknown> | null)?.[key] === value,
      );
    } else {
      current = Array.isArray(current) ? current[Number(step.slice(1, -1))] : undefined;
    }
  }
  return current;
}

function cell(value: unknown, type: string, now: Date): Cell {
  if (value === undefined || value === null) return null;
  if (type === 'date') return age(value, now);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return value;
  return JSON.stringify(value);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function column(
  name: string,
  type: string,
  read: CellReader,
  options: { format?: string; priority?: number; description?: string } = {},
): Column {
  return {
    definition: {
      name,
      type,
      format: options.format ?? '',
      description: options.description ?? '',
      priority: options.priority ?? 0,
    },
    read,
  };
}

const nameColumn = column('Name', 'string', (object) => object.metadata.name, {
  format: 'name',
  description: 'Name must be unique within a namespace.',
});
const ageColumn = column('Age', 'string', (object, now) =>
  age(object.metadata.creationTimestamp, now),
);

function podColumns(): Column[] {
  const statuses = (object: KubeObject): Record<string, unknown>[] => {
    const list = object.status?.containerStatuses;
    return Array.isArray(list) ? (list as Record<string, unknown>[]) : [];
  };
  const containers = (object: KubeObject): number => {
    const list = object.spec?.containers;
    return Array.isArray(list) ? list.length : 0;
  };
  return [
    nameColumn,
    column('Ready', 'string', (object) => {
      const ready = statuses(object).filter((status) => status.ready === true).length;
      return `${ready}/${containers(object)}`;
    }),
    column('Status', 'string', (object) =>
      object.metadata.deletionTimestamp === undefined
        ? String(object.status?.phase ?? 'Unknown')
        : 'Terminating',
    ),
    column('Restarts', 'string', (object) =>
      String(statuses(object).reduce((sum, status) => sum + Number(status.restartCount ?? 0), 0)),
    ),
    ageColumn,
    column('IP', 'string', (object) => String(object.status?.podIP ?? '<none>'), { priority: 1 }),
    column('Node', 'string', (object) => String(object.spec?.nodeName ?? '<none>'), {
      priority: 1,
    }),
  ];
}

function claimColumns(): Column[] {
  return [
    nameColumn,
    column('Status', 'string', (object) => text(object.status?.phase)),
    column('Volume', 'string', (object) => text(object.spec?.volumeName)),
    column('Capacity', 'string', (object) =>
      text(readJsonPath(object, '.status.capacity.storage')),
    ),
    column('Access Modes', 'string', (object) => {
      const modes = object.status?.accessModes;
      const short: Record<string, string> = {
        ReadWriteOnce: 'RWO',
        ReadOnlyMany: 'ROX',
        ReadWriteMany: 'RWX',
        ReadWriteOncePod: 'RWOP',
      };
      return Array.isArray(modes)
        ? modes.map((mode) => short[String(mode)] ?? String(mode)).join(',')
        : '';
    }),
    column('StorageClass', 'string', (object) => text(object.spec?.storageClassName)),
    ageColumn,
  ];
}

/** The apiserver's columns for Events; the name is only shown with `-o wide`. */
function eventColumns(): Column[] {
  const involved = (object: KubeObject): Record<string, unknown> =>
    typeof object.involvedObject === 'object' && object.involvedObject !== null
      ? (object.involvedObject as Record<string, unknown>)
      : {};
  const lastSeen = (object: KubeObject): unknown =>
    object.lastTimestamp ?? object.eventTime ?? object.metadata.creationTimestamp;
  return [
    column('Last Seen', 'string', (object, now) => age(lastSeen(object), now)),
    column('Type', 'string', (object) => text(object.type)),
    column('Reason', 'string', (object) => text(object.reason)),
    column('Object', 'string', (object) => {
      const target = involved(object);
      return `${text(target.kind).toLowerCase()}/${text(target.name)}`;
    }),
    column('Message', 'string', (object) => text(object.message)),
    column('Name', 'string', (object) => object.metadata.name, { format: 'name', priority: 1 }),
  ];
}

function columnsFromPrinterColumns(printerColumns: PrinterColumn[]): Column[] {
  return [
    nameColumn,
    ...printerColumns.map((printer) =>
      column(
        printer.name,
        printer.type,
        (object, now) => cell(readJsonPath(object, printer.jsonPath), printer.type, now),
        {
          ...(printer.format === undefined ? {} : { format: printer.format }),
          ...(printer.priority === undefined ? {} : { priority: printer.priority }),
          ...(printer.description === undefined ? {} : { description: printer.description }),
        },
      ),
    ),
  ];
}

function columnsFor(resource: ResourceType): Column[] {
  if (resource.group === '' && resource.resource === 'pods') return podColumns();
  if (resource.group === '' && resource.resource === 'persistentvolumeclaims')
    return claimColumns();
  if (resource.group === '' && resource.resource === 'events') return eventColumns();
  if (resource.group === '' && resource.resource === 'namespaces') {
    return [
      nameColumn,
      column('Status', 'string', (object) => String(object.status?.phase ?? '')),
      ageColumn,
    ];
  }
  if (resource.printerColumns !== undefined)
    return columnsFromPrinterColumns(resource.printerColumns);
  return [nameColumn, ageColumn];
}

function partialMetadata(object: KubeObject): Record<string, unknown> {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
}

export function toTable(input: {
  resource: ResourceType;
  objects: readonly KubeObject[];
  listMeta: Record<string, unknown>;
  now: Date;
  includeObject: 'None' | 'Metadata' | 'Object';
}): Record<string, unknown> {
  const columns = columnsFor(input.resource);
  const rows = input.objects.map((object) => {
    const row: Record<string, unknown> = {
      cells: columns.map((entry) => entry.read(object, input.now)),
    };
    if (input.includeObject === 'Object') row.object = object;
    else if (input.includeObject === 'Metadata') row.object = partialMetadata(object);
    return row;
  });
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: input.listMeta,
    columnDefinitions: columns.map((entry) => entry.definition),
    rows,
  };
}
