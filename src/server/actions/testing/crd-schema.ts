// Structural validation against the real CNPG CRDs, for tests. A real API
// server silently prunes fields its schema does not know, which for a restore
// manifest would mean a setting quietly lost; so here an unknown field is an
// error (additionalProperties: false wherever the schema lists properties).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { parse } from 'yaml';
import { cnpgReferenceDir } from './fixtures';

type Schema = Record<string, unknown>;

function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy: Schema = {};
  for (const [key, value] of Object.entries(schema)) copy[key] = closeObjects(value);
  const isOpen = copy['x-kubernetes-preserve-unknown-fields'] === true;
  if (copy.properties !== undefined && copy.additionalProperties === undefined && !isOpen) {
    copy.additionalProperties = false;
  }
  return copy;
}

function crdSchema(file: string): Schema {
  const crd = parse(readFileSync(path.join(cnpgReferenceDir(), 'crds', file), 'utf8')) as {
    spec: { versions: { name: string; schema: { openAPIV3Schema: Schema } }[] };
  };
  const version = crd.spec.versions.find((entry) => entry.name === 'v1');
  if (version === undefined) throw new Error(`${file} has no v1 version`);
  return closeObjects(version.schema.openAPIV3Schema) as Schema;
}

/** A validator returning readable problems; empty when the object fits the CRD. */
export function crdValidator(file: string): (object: unknown) => string[] {
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  const validate = ajv.compile(crdSchema(file));
  return (object) => {
    if (validate(object)) return [];
    return (validate.errors ?? []).map(
      (error: ErrorObject) =>
        `${error.instancePath || '/'} ${error.message ?? 'is invalid'} ` +
        `${JSON.stringify(error.params)}`,
    );
  };
}
