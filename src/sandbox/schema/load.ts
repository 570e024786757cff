// Reads CRD files once per folder (the Cluster CRD alone is 470 KB of YAML,
// about half a second to parse) and turns their schemas into the store's
// admission step.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { Admission, AdmissionResult } from '../store/admission';
import type { StatusCause } from '../store/errors';
import type { ResourceType } from '../store/types';
import { builtinSchemas } from './builtin';
import { checkRules, hasRules } from './rules';
import { admitWithSchema, type CrdSchema } from './structural';

interface CrdDocument {
  kind?: unknown;
  spec?: {
    group?: unknown;
    names?: { plural?: unknown };
    versions?: { name?: unknown; schema?: { openAPIV3Schema?: CrdSchema } }[];
  };
}

const cache = new Map<string, Map<string, CrdSchema>>();

/**
 * Schema errors after which the apiserver does not run the CEL rules of a
 * schema that has any, since they could read missing or mistyped values; it
 * says so in one more cause. After other errors (a pattern, a minimum) the
 * rules still run.
 */
const blockingReasons = new Set([
  'FieldValueRequired',
  'FieldValueNotSupported',
  'FieldValueTooLong',
  'FieldValueTooMany',
  'FieldValueTypeInvalid',
]);

const rulesNotChecked: StatusCause = {
  reason: 'FieldValueInvalid',
  field: '<nil>',
  message:
    'Invalid value: "null": some validation rules were not checked because the object was ' +
    'invalid; correct the existing errors to complete validation',
};

function schemasFromDocument(document: CrdDocument, into: Map<string, CrdSchema>): void {
  const spec = document.spec;
  if (document.kind !== 'CustomResourceDefinition' || spec === undefined) return;
  if (typeof spec.group !== 'string' || typeof spec.names?.plural !== 'string') return;
  for (const version of spec.versions ?? []) {
    const schema = version.schema?.openAPIV3Schema;
    if (typeof version.name !== 'string' || schema === undefined) continue;
    into.set(`${spec.names.plural}.${spec.group}/${version.name}`, schema);
  }
}

/** Schemas keyed by `plural.group/version`, read from every *.yaml / *.yml / *.json file of the folder. */
export function loadCrdSchemas(crdDir: string): Map<string, CrdSchema> {
  const resolved = path.resolve(crdDir);
  const cached = cache.get(resolved);
  if (cached !== undefined) return cached;

  const schemas = new Map<string, CrdSchema>();
  const files = readdirSync(resolved)
    .filter((file) => /\.(ya?ml|json)$/.test(file))
    .sort();
  for (const file of files) {
    const document: unknown = parse(readFileSync(path.join(resolved, file), 'utf8'));
    if (document !== null && typeof document === 'object') {
      schemasFromDocument(document as CrdDocument, schemas);
    }
  }
  cache.set(resolved, schemas);
  return schemas;
}

/** Looks up the schema of a custom resource in the CRDs of a folder. */
export function crdSchemaLookup(crdDir: string): (resource: ResourceType) => CrdSchema | undefined {
  const schemas = loadCrdSchemas(crdDir);
  return (resource) => schemas.get(`${resource.resource}.${resource.group}/${resource.version}`);
}

function schemaFor(
  resource: ResourceType,
  crdSchemas: Map<string, CrdSchema> | undefined,
): CrdSchema | undefined {
  const name = `${resource.resource}.${resource.group}`;
  return crdSchemas?.get(`${name}/${resource.version}`) ?? builtinSchemas[name];
}

/** CRD-backed admission when a folder is given, the built-in checks otherwise. */
export function loadAdmission(crdDir: string | undefined): Admission {
  const crdSchemas = crdDir === undefined ? undefined : loadCrdSchemas(crdDir);
  return {
    admit({ resource, object, oldObject }): AdmissionResult {
      const schema = resource.group === '' ? undefined : schemaFor(resource, crdSchemas);
      if (schema === undefined) return { causes: [], unknownFields: [] };
      const result = admitWithSchema(object, schema);
      if (!hasRules(schema)) return result;
      if (result.causes.some((cause) => blockingReasons.has(cause.reason))) {
        return { ...result, causes: [...result.causes, rulesNotChecked] };
      }
      const ruleCauses = checkRules({ object, schema, old: oldObject });
      return { ...result, causes: [...result.causes, ...ruleCauses] };
    },
  };
}
