// Pruning, defaulting and validation of custom resources against a CRD's
// structural openAPIV3Schema, in the order the apiserver applies them.
//
// This is a focused walker rather than ajv: CRD schemas are not plain JSON
// Schema (x-kubernetes-int-or-string, x-kubernetes-preserve-unknown-fields,
// x-kubernetes-embedded-resource, nullable), pruning and defaulting must happen
// in the same walk, and clients print the apiserver's own field-error wording
// ("Unsupported value", "Required value", "in body should match"), which ajv's
// errors would need translating into anyway.
//
// CEL rules (x-kubernetes-validations) are checked afterwards, in rules.ts.
// Not evaluated: anyOf/oneOf/allOf combinations other than int-or-string, and
// string formats.
import type { AdmissionResult } from '../store/admission';
import type { StatusCause } from '../store/errors';
import type { ValidationRule } from './rules';

export interface CrdSchema {
  type?: string;
  properties?: Record<string, CrdSchema>;
  additionalProperties?: CrdSchema | boolean;
  items?: CrdSchema;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-validations'?: ValidationRule[];
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const patternCache = new Map<string, RegExp | null>();

/** Go RE2 patterns mostly read the same in JavaScript; one that does not compile is skipped. */
function compiledPattern(pattern: string): RegExp | null {
  let regex = patternCache.get(pattern);
  if (regex === undefined) {
    try {
      regex = new RegExp(pattern, 'u');
    } catch {
      regex = null;
    }
    patternCache.set(pattern, regex);
  }
  return regex;
}

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  const text = JSON.stringify(value) ?? 'null';
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function matchesType(value: unknown, schema: CrdSchema): boolean {
  if (schema['x-kubernetes-int-or-string'] === true) {
    return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value));
  }
  const actual = typeOf(value);
  switch (schema.type) {
    case undefined:
      return true;
    case 'number':
      return actual === 'number' || actual === 'integer';
    default:
      return actual === schema.type;
  }
}

interface Walk {
  causes: StatusCause[];
  /** Paths of fields dropped because the schema does not know them. */
  unknownFields: string[];
}

function invalidValue(walk: Walk, path: string, value: unknown, text: string): void {
  walk.causes.push({
    reason: 'FieldValueInvalid',
    field: path,
    message: `Invalid value: ${shown(value)}: ${path} in body ${text}`,
  });
}

function checkScalar(walk: Walk, path: string, value: unknown, schema: CrdSchema): void {
  if (schema.enum !== undefined && !schema.enum.some((allowed) => allowed === value)) {
    walk.causes.push({
      reason: 'FieldValueNotSupported',
      field: path,
      message:
        `Unsupported value: ${shown(value)}: supported values: ` +
        schema.enum.map((allowed) => shown(allowed)).join(', '),
    });
  }
  if (typeof value === 'string') checkString(walk, path, value, schema);
  if (typeof value === 'number') checkNumber(walk, path, value, schema);
}

function checkString(walk: Walk, path: string, value: string, schema: CrdSchema): void {
  if (schema.maxLength !== undefined && value.length > schema.maxLength) {
    walk.causes.push({
      reason: 'FieldValueTooLong',
      field: path,
      message: `Too long: may not be more than ${schema.maxLength} bytes`,
    });
  }
  if (schema.minLength !== undefined && value.length < schema.minLength) {
    invalidValue(walk, path, value, `should be at least ${schema.minLength} chars long`);
  }
  const regex = schema.pattern === undefined ? null : compiledPattern(schema.pattern);
  if (regex !== null && !regex.test(value)) {
    invalidValue(walk, path, value, `should match '${schema.pattern ?? ''}'`);
  }
}

function checkNumber(walk: Walk, path: string, value: number, schema: CrdSchema): void {
  const { minimum, maximum } = schema;
  if (minimum !== undefined) {
    const isBelow = schema.exclusiveMinimum === true ? value <= minimum : value < minimum;
    const words = schema.exclusiveMinimum === true ? 'greater than' : 'greater than or equal to';
    if (isBelow) invalidValue(walk, path, value, `should be ${words} ${minimum}`);
  }
  if (maximum !== undefined) {
    const isAbove = schema.exclusiveMaximum === true ? value >= maximum : value > maximum;
    const words = schema.exclusiveMaximum === true ? 'less than' : 'less than or equal to';
    if (isAbove) invalidValue(walk, path, value, `should be ${words} ${maximum}`);
  }
}

function checkArray(walk: Walk, path: string, value: unknown[], schema: CrdSchema): void {
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    walk.causes.push({
      reason: 'FieldValueTooMany',
      field: path,
      message: `Too many: ${value.length}: must have at most ${schema.maxItems} items`,
    });
  }
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    invalidValue(walk, path, value.length, `should have at least ${schema.minItems} items`);
  }
  if (schema.items === undefined) return;
  for (let index = 0; index < value.length; index++) {
    value[index] = visit(walk, `${path}[${index}]`, value[index], schema.items);
  }
}

const noProperties: Record<string, CrdSchema> = {};
const propertyLists = new WeakMap<CrdSchema, [string, CrdSchema][]>();

/**
 * A schema's properties as a list, built once per schema node: every object
 * written walks them, and listing a Cluster spec's hundred properties anew on
 * each of 10,000 seeded clusters was a good part of the admission time.
 */
function propertyList(schema: CrdSchema): [string, CrdSchema][] {
  let list = propertyLists.get(schema);
  if (list === undefined) {
    list = Object.entries(schema.properties ?? noProperties);
    propertyLists.set(schema, list);
  }
  return list;
}

/** Drops unknown fields, fills defaults, then validates each known field. */
function checkObject(walk: Walk, path: string, value: JsonObject, schema: CrdSchema): void {
  const properties = schema.properties ?? noProperties;
  const additional = schema.additionalProperties;
  const preserves =
    schema['x-kubernetes-preserve-unknown-fields'] === true ||
    schema['x-kubernetes-embedded-resource'] === true ||
    additional === true;

  for (const key of Object.keys(value)) {
    if (Object.hasOwn(properties, key)) continue;
    if (isObject(additional)) {
      value[key] = visit(walk, `${path}.${key}`, value[key], additional);
    } else if (!preserves) {
      delete value[key];
      walk.unknownFields.push(`${path}.${key}`);
    }
  }
  for (const [key, child] of propertyList(schema)) {
    const isMissing =
      !Object.hasOwn(value, key) || (value[key] === null && child.nullable !== true);
    if (isMissing && child.default !== undefined) value[key] = structuredClone(child.default);
    if (!Object.hasOwn(value, key)) continue;
    value[key] = visit(walk, path === '' ? key : `${path}.${key}`, value[key], child);
  }
  for (const key of schema.required ?? []) {
    if (!Object.hasOwn(value, key)) {
      walk.causes.push({
        reason: 'FieldValueRequired',
        field: path === '' ? key : `${path}.${key}`,
        message: 'Required value',
      });
    }
  }
}

function visit(walk: Walk, path: string, value: unknown, schema: CrdSchema): unknown {
  if (value === null && schema.nullable === true) return value;
  if (!matchesType(value, schema)) {
    const expected =
      schema['x-kubernetes-int-or-string'] === true ? 'integer or string' : schema.type;
    walk.causes.push({
      reason: 'FieldValueTypeInvalid',
      field: path,
      message: `Invalid value: ${shown(typeOf(value))}: ${path} in body must be of type ${expected ?? 'object'}: ${shown(typeOf(value))}`,
    });
    return value;
  }
  if (isObject(value)) checkObject(walk, path, value, schema);
  else if (Array.isArray(value)) checkArray(walk, path, value, schema);
  else checkScalar(walk, path, value, schema);
  return value;
}

/**
 * Prunes, defaults and validates the object's top-level fields other than
 * apiVersion, kind and metadata (which the apiserver checks on its own).
 */
export function admitWithSchema(object: JsonObject, schema: CrdSchema): AdmissionResult {
  const walk: Walk = { causes: [], unknownFields: [] };
  const properties = schema.properties ?? noProperties;
  for (const key of Object.keys(object)) {
    if (key === 'apiVersion' || key === 'kind' || key === 'metadata') continue;
    const child = properties[key];
    if (child === undefined) {
      delete object[key];
      walk.unknownFields.push(key);
      continue;
    }
    object[key] = visit(walk, key, object[key], child);
  }
  for (const [key, child] of propertyList(schema)) {
    if (key === 'metadata' || Object.hasOwn(object, key) || child.default === undefined) continue;
    object[key] = visit(walk, key, structuredClone(child.default), child);
  }
  for (const key of schema.required ?? []) {
    if (key !== 'metadata' && !Object.hasOwn(object, key)) {
      walk.causes.push({ reason: 'FieldValueRequired', field: key, message: 'Required value' });
    }
  }
  return { causes: walk.causes, unknownFields: walk.unknownFields };
}
