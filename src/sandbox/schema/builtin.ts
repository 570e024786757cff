// Schemas used when the sandbox runs without a CRD folder: only the fields
// Deckhand relies on are checked, everything else in spec and status is kept
// as sent. Values follow the CNPG 1.30 CRDs.
import type { CrdSchema } from './structural';

const preserved: CrdSchema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
const method: CrdSchema = {
  type: 'string',
  enum: ['barmanObjectStore', 'volumeSnapshot', 'plugin'],
  default: 'barmanObjectStore',
};
const target: CrdSchema = { type: 'string', enum: ['primary', 'prefer-standby'] };
const clusterReference: CrdSchema = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string' } },
};

function resourceSchema(spec: CrdSchema): CrdSchema {
  return {
    type: 'object',
    required: ['metadata', 'spec'],
    properties: { spec, status: preserved },
  };
}

/** Keyed by `plural.group`. */
export const builtinSchemas: Record<string, CrdSchema> = {
  'clusters.postgresql.cnpg.io': resourceSchema({
    ...preserved,
    required: ['instances'],
    properties: { instances: { type: 'integer', minimum: 1, default: 1 } },
  }),
  'backups.postgresql.cnpg.io': resourceSchema({
    ...preserved,
    required: ['cluster'],
    properties: { cluster: clusterReference, method, target },
  }),
  'scheduledbackups.postgresql.cnpg.io': resourceSchema({
    ...preserved,
    required: ['cluster', 'schedule'],
    properties: { cluster: clusterReference, method, target, schedule: { type: 'string' } },
  }),
  'objectstores.barmancloud.cnpg.io': resourceSchema(preserved),
};
