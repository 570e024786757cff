// CEL validation rules of a CRD schema (`x-kubernetes-validations`), checked
// after pruning and defaulting as the apiserver does. CNPG uses them for what
// plain schema cannot say: a Backup's spec is immutable, a Cluster names an
// image or an image catalog but not both, locale fields go with their
// provider. The expressions are evaluated by @marcbachmann/cel-js.
//
// As in the apiserver:
// - a rule naming `oldSelf` is a transition rule, checked only on update and
//   only where the old object had a value at that place;
// - on update, a value equal to the old one is not checked again
//   (validation ratcheting), so objects stored before a rule existed can
//   still be changed elsewhere;
// - a failed rule gives `Invalid value: "<type>": <message>` on its field,
//   `failed rule: <rule>` when the rule has no message.
// List items are checked without an old value (the apiserver correlates
// them only for map-type lists). A rule the evaluator cannot compile or run
// is skipped rather than refusing objects the real server would accept; the
// tests compile every rule of the CNPG CRDs.
import { parse } from '@marcbachmann/cel-js';
import type { StatusCause } from '../store/errors';

export interface ValidationRule {
  rule: string;
  message?: string;
  fieldPath?: string;
}

/** The part of a CRD schema the rule walk needs. */
export interface RuleSchema {
  properties?: Record<string, RuleSchema>;
  additionalProperties?: RuleSchema | boolean;
  items?: RuleSchema;
  'x-kubernetes-validations'?: ValidationRule[];
}

type Program = (context: Record<string, unknown>) => unknown;
type JsonObject = Record<string, unknown>;

const programs = new Map<string, Program | null>();

/** The compiled rule, or null when the evaluator cannot read it. */
export function compileRule(rule: string): Program | null {
  let program = programs.get(rule);
  if (program === undefined) {
    try {
      program = parse(rule) as Program;
    } catch {
      program = null;
    }
    programs.set(rule, program);
  }
  return program;
}

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => isEqual(item, b[i]));
  }
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((key) => Object.hasOwn(b, key) && isEqual(a[key], b[key]))
  );
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Whether the rule holds; a rule that cannot be evaluated counts as holding. */
function holds(program: Program, context: Record<string, unknown>): boolean {
  try {
    return program(context) !== false;
  } catch {
    return true;
  }
}

function checkNode(input: {
  causes: StatusCause[];
  path: string;
  value: unknown;
  old: unknown;
  schema: RuleSchema;
}): void {
  const { causes, path, value, old, schema } = input;
  for (const validation of schema['x-kubernetes-validations'] ?? []) {
    const isTransition = /\boldSelf\b/.test(validation.rule);
    if (isTransition && old === undefined) continue;
    const program = compileRule(validation.rule);
    if (program === null) continue;
    const context = isTransition ? { self: value, oldSelf: old } : { self: value };
    if (holds(program, context)) continue;
    const field = `${path}${validation.fieldPath ?? ''}`;
    causes.push({
      reason: 'FieldValueInvalid',
      field,
      message: `Invalid value: "${typeName(value)}": ${validation.message ?? `failed rule: ${validation.rule}`}`,
    });
  }
}

function walk(input: {
  causes: StatusCause[];
  path: string;
  value: unknown;
  old: unknown;
  schema: RuleSchema;
}): void {
  const { causes, path, value, old, schema } = input;
  if (old !== undefined && isEqual(value, old)) return;
  checkNode(input);
  if (isObject(value)) {
    const oldObject = isObject(old) ? old : undefined;
    for (const [key, child] of Object.entries(value)) {
      const childSchema =
        schema.properties?.[key] ??
        (isObject(schema.additionalProperties) ? schema.additionalProperties : undefined);
      if (childSchema === undefined) continue;
      walk({
        causes,
        path: path === '' ? key : `${path}.${key}`,
        value: child,
        old: oldObject?.[key],
        schema: childSchema,
      });
    }
  } else if (Array.isArray(value) && schema.items !== undefined) {
    const items = schema.items;
    value.forEach((item, index) =>
      walk({ causes, path: `${path}[${index}]`, value: item, old: undefined, schema: items }),
    );
  }
}

/**
 * Field errors of every rule that fails on `object` (an update when `old` is
 * given). Checks the top-level fields other than apiVersion, kind and
 * metadata, like the rest of schema admission.
 */
export function checkRules(
  object: JsonObject,
  schema: RuleSchema,
  old?: JsonObject,
): StatusCause[] {
  const causes: StatusCause[] = [];
  checkNode({ causes, path: '', value: object, old, schema });
  for (const [key, value] of Object.entries(object)) {
    if (key === 'apiVersion' || key === 'kind' || key === 'metadata') continue;
    const child = schema.properties?.[key];
    if (child === undefined) continue;
    walk({ causes, path: key, value, old: old?.[key], schema: child });
  }
  return causes;
}
