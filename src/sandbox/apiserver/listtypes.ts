// The schema server-side apply merges by. Custom resources use their CRD's
// structural schema; the built-in kinds the sandbox serves have none, so the
// list types Kubernetes declares for the fields the sandbox uses are written
// out here (core/v1 at 1.30: `+listType` markers, or a patch merge key, which
// the apiserver reads as a map list). Any other list stays atomic.
//
// Every kind gets ObjectMeta's list types, whatever its schema says about
// metadata: CRDs leave metadata untyped, but the apiserver still merges
// finalizers as a set and ownerReferences by uid.
import { builtinSchemas } from '../schema/builtin';
import type { ResourceType } from '../store/types';
import type { FieldSchema } from './fieldpath';

function mapList(keys: string[], items: FieldSchema = {}): FieldSchema {
  return {
    type: 'array',
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': keys,
    items,
  };
}

const setList: FieldSchema = { type: 'array', 'x-kubernetes-list-type': 'set' };

const objectMeta: FieldSchema = {
  type: 'object',
  properties: { finalizers: setList, ownerReferences: mapList(['uid']) },
};

const conditions = mapList(['type']);

const container: FieldSchema = {
  type: 'object',
  properties: {
    env: mapList(['name']),
    // The apiserver fills a missing protocol with TCP before keying the item.
    ports: mapList(['containerPort', 'protocol'], {
      properties: { protocol: { type: 'string', default: 'TCP' } },
    }),
    volumeMounts: mapList(['mountPath']),
    volumeDevices: mapList(['devicePath']),
  },
};

const podSpec: FieldSchema = {
  type: 'object',
  properties: {
    containers: mapList(['name'], container),
    initContainers: mapList(['name'], container),
    ephemeralContainers: mapList(['name'], container),
    volumes: mapList(['name']),
    imagePullSecrets: mapList(['name']),
    hostAliases: mapList(['ip']),
    topologySpreadConstraints: mapList(['topologyKey', 'whenUnsatisfiable']),
  },
};

const withConditions: FieldSchema = { type: 'object', properties: { conditions } };

/** Keyed by `plural` of the core group. */
const coreSchemas: Record<string, FieldSchema> = {
  pods: {
    type: 'object',
    properties: {
      spec: podSpec,
      status: { type: 'object', properties: { conditions, podIPs: mapList(['ip']) } },
    },
  },
  namespaces: { type: 'object', properties: { status: withConditions } },
  persistentvolumeclaims: { type: 'object', properties: { status: withConditions } },
};

/** The schema of a resource with ObjectMeta's list types in place. */
export function fieldSchemaFor(
  resource: ResourceType,
  crdSchema: FieldSchema | undefined,
): FieldSchema {
  const schema =
    resource.group === ''
      ? coreSchemas[resource.resource]
      : (crdSchema ?? builtinSchemas[`${resource.resource}.${resource.group}`]);
  return { ...schema, properties: { ...schema?.properties, metadata: objectMeta } };
}
