// Field paths and field sets of server-side apply, as the apiserver's
// structured-merge-diff library defines them, reduced to what the sandbox
// needs.
//
// A path is a list of steps spelled as in FieldsV1: `f:<field>` for a field
// of an object, `k:{"name":"x"}` for the item of a list of type map,
// `v:"x"` for the value of a list of type set. Whether a list is a map, a set
// or atomic comes from the schema (`x-kubernetes-list-type`); a list without
// one is atomic, as for CRDs, and so is a map list whose items lack a key or
// repeat one (the apiserver tolerates such lists in stored objects too).
//
// Sets hold paths encoded as their steps joined by newlines: field names are
// Kubernetes names or map keys, which never hold one, and key values are
// JSON-escaped.
import { badRequest } from '../store/errors';

/** The parts of an OpenAPI v3 schema that decide how apply merges and tracks fields. */
export interface FieldSchema {
  type?: string;
  properties?: Record<string, FieldSchema>;
  additionalProperties?: FieldSchema | boolean;
  items?: FieldSchema;
  default?: unknown;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
}

type JsonObject = Record<string, unknown>;
export type PathSet = Set<string>;

const separator = '\n';

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function joinPath(parent: string, step: string): string {
  return parent === '' ? step : `${parent}${separator}${step}`;
}

export function stepsOf(path: string): string[] {
  return path === '' ? [] : path.split(separator);
}

/** How a value is merged and tracked: field by field, item by item, or whole. */
export type Shape =
  | { kind: 'object' }
  | { kind: 'mapList'; keys: string[] }
  | { kind: 'setList' }
  | { kind: 'atomic' };

export function childSchema(
  schema: FieldSchema | undefined,
  field: string,
): FieldSchema | undefined {
  const known = schema?.properties?.[field];
  if (known !== undefined) return known;
  const additional = schema?.additionalProperties;
  return isObject(additional) ? additional : undefined;
}

/** The step naming one item of a map or set list (the key fields in name order). */
export function itemStep(
  item: unknown,
  input: { schema: FieldSchema | undefined; shape: Shape },
): string {
  if (input.shape.kind === 'setList') return `v:${JSON.stringify(item)}`;
  if (input.shape.kind !== 'mapList' || !isObject(item)) return '';
  const key: JsonObject = {};
  for (const field of input.shape.keys) {
    key[field] = item[field] ?? input.schema?.items?.properties?.[field]?.default;
  }
  return `k:${JSON.stringify(key)}`;
}

function listShape(list: unknown[], schema: FieldSchema | undefined): Shape {
  const type = schema?.['x-kubernetes-list-type'];
  const seen = new Set<string>();
  if (type === 'set') {
    const shape: Shape = { kind: 'setList' };
    for (const item of list) {
      if (item !== null && typeof item === 'object') return { kind: 'atomic' };
      seen.add(itemStep(item, { schema, shape }));
    }
    return seen.size === list.length ? shape : { kind: 'atomic' };
  }
  const keys = [...(schema?.['x-kubernetes-list-map-keys'] ?? [])].sort();
  if (type !== 'map' || keys.length === 0) return { kind: 'atomic' };
  const shape: Shape = { kind: 'mapList', keys };
  for (const item of list) {
    const step = itemStep(item, { schema, shape });
    if (
      step === '' ||
      keys.some((key) => !isObject(item) || keyValue(item, key, schema) === undefined)
    ) {
      return { kind: 'atomic' };
    }
    seen.add(step);
  }
  return seen.size === list.length ? shape : { kind: 'atomic' };
}

function keyValue(item: JsonObject, key: string, schema: FieldSchema | undefined): unknown {
  return item[key] ?? schema?.items?.properties?.[key]?.default;
}

export function shapeOf(value: unknown, schema: FieldSchema | undefined): Shape {
  if (Array.isArray(value)) return listShape(value, schema);
  if (isObject(value) && schema?.['x-kubernetes-map-type'] !== 'atomic') return { kind: 'object' };
  return { kind: 'atomic' };
}

/**
 * Refuses an applied list of type map whose items omit or repeat a key: the
 * apiserver cannot tell which stored item such an entry means.
 */
export function checkAppliedList(
  list: unknown[],
  input: { schema: FieldSchema | undefined; path: string },
): void {
  const { schema, path } = input;
  const shape = shapeOf(list, schema);
  const keys = [...(schema?.['x-kubernetes-list-map-keys'] ?? [])].sort();
  if (schema?.['x-kubernetes-list-type'] !== 'map' || shape.kind === 'mapList') return;
  const seen = new Set<string>();
  for (const [index, item] of list.entries()) {
    const missing = keys.find(
      (key) => !isObject(item) || keyValue(item, key, schema) === undefined,
    );
    if (missing !== undefined) {
      throw badRequest(
        `${formatPath(path)}: element ${index}: associative list with keys has an element ` +
          `that omits key field "${missing}" (and doesn't have default value)`,
      );
    }
    const step = itemStep(item, { schema, shape: { kind: 'mapList', keys } });
    if (seen.has(step)) {
      throw badRequest(`${formatPath(path)}: duplicate entries for key ${formatPath(step)}`);
    }
    seen.add(step);
  }
}

/** One child of a value with its step, value and schema. */
export interface Child {
  step: string;
  value: unknown;
  schema: FieldSchema | undefined;
}

/** The children a value is tracked by: fields of an object, items of a map or set list. */
export function childrenOf(value: unknown, schema: FieldSchema | undefined, shape: Shape): Child[] {
  if (shape.kind === 'object' && isObject(value)) {
    return Object.entries(value).map(([field, child]) => ({
      step: `f:${field}`,
      value: child,
      schema: childSchema(schema, field),
    }));
  }
  if ((shape.kind === 'mapList' || shape.kind === 'setList') && Array.isArray(value)) {
    return value.map((item) => ({
      step: itemStep(item, { schema, shape }),
      value: item,
      schema: schema?.items,
    }));
  }
  return [];
}

/** The step's child of a value, found by field name or by item key. */
export function findChild(
  value: unknown,
  input: { step: string; schema: FieldSchema | undefined },
): Child | undefined {
  const shape = shapeOf(value, input.schema);
  if (input.step.startsWith('f:') && shape.kind === 'object' && isObject(value)) {
    const field = input.step.slice(2);
    if (!Object.hasOwn(value, field)) return undefined;
    return { step: input.step, value: value[field], schema: childSchema(input.schema, field) };
  }
  return childrenOf(value, input.schema, shape).find((child) => child.step === input.step);
}

/** `.spec.containers[name="db"].image`, as conflicts and errors print paths. */
export function formatPath(path: string): string {
  return stepsOf(path)
    .map((step) => {
      const body = step.slice(2);
      if (step.startsWith('f:')) return `.${body}`;
      if (step.startsWith('v:')) return `[=${body}]`;
      const key = JSON.parse(body) as JsonObject;
      const parts = Object.entries(key).map(
        ([field, value]) => `${field}=${JSON.stringify(value)}`,
      );
      return `[${parts.join(',')}]`;
    })
    .join('');
}
