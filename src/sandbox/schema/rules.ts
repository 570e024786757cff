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
// - a failed rule gives `Invalid value: "<type>": <message>` on its field
//   (`Forbidden: <message>` and so on when the rule names a `reason`), with
//   `failed rule: <rule>` when the rule has no message.
// - a rule that fails at run time (such as reading a field that is absent
//   without `has()`) fails validation, reported with the evaluator's error
//   and the rule's message (else the rule) on the rule's own field.
// List items are checked without an old value (the apiserver correlates
// them only for map-type lists). A rule the evaluator cannot compile is
// skipped rather than refusing objects the real server would accept; the
// tests compile every rule of the CNPG CRDs, so this only concerns CRDs
// given with --crd-dir.
import { EvaluationError, parse, type ParseResult } from '@marcbachmann/cel-js';
import type { StatusCause } from '../store/errors';

export interface ValidationRule {
  rule: string;
  message?: string;
  fieldPath?: string;
  /** How a failure is reported: FieldValueInvalid (the default), Forbidden, Required or Duplicate. */
  reason?: string;
}

/** The part of a CRD schema the rule walk needs. */
export interface RuleSchema {
  properties?: Record<string, RuleSchema>;
  additionalProperties?: RuleSchema | boolean;
  items?: RuleSchema;
  'x-kubernetes-validations'?: ValidationRule[];
}

type JsonObject = Record<string, unknown>;

const programs = new Map<string, ParseResult | null>();
const schemasWithRules = new WeakMap<RuleSchema, boolean>();

/** Whether the schema declares any rule, at any depth (computed once per schema). */
export function hasRules(schema: RuleSchema): boolean {
  let answer = schemasWithRules.get(schema);
  if (answer === undefined) {
    const children = [
      ...Object.values(schema.properties ?? {}),
      ...(typeof schema.additionalProperties === 'object' ? [schema.additionalProperties] : []),
      ...(schema.items === undefined ? [] : [schema.items]),
    ];
    answer = (schema['x-kubernetes-validations']?.length ?? 0) > 0 || children.some(hasRules);
    schemasWithRules.set(schema, answer);
  }
  return answer;
}

/** The compiled rule, or null when the evaluator cannot read it. */
export function compileRule(rule: string): ParseResult | null {
  let program = programs.get(rule);
  if (program === undefined) {
    try {
      program = parse(rule);
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

type RuleOutcome =
  { kind: 'holds' } | { kind: 'fails'; why: string } | { kind: 'error'; why: string };

/** Whether the rule holds on `context`, fails, or cannot be evaluated. */
function evaluate(
  program: ParseResult,
  rule: ValidationRule,
  context: Record<string, unknown>,
): RuleOutcome {
  try {
    if (program(context) !== false) return { kind: 'holds' };
    return { kind: 'fails', why: rule.message ?? `failed rule: ${rule.rule}` };
  } catch (error) {
    if (!(error instanceof EvaluationError)) throw error;
    // The apiserver's evaluator words its errors in lower case ("no such key"),
    // and names the rule's message when it has one, else the rule.
    const first = error.message.split('\n', 1)[0] ?? 'evaluation error';
    const reason = first.charAt(0).toLowerCase() + first.slice(1);
    return { kind: 'error', why: `${reason} evaluating rule: ${rule.message ?? rule.rule}` };
  }
}

/** The field error of a failed rule, in the form its `reason` asks for. */
function ruleCause(field: string, value: unknown, rule: ValidationRule, why: string): StatusCause {
  const shown = `"${typeName(value)}"`;
  switch (rule.reason) {
    case 'FieldValueForbidden':
      return { reason: rule.reason, field, message: `Forbidden: ${why}` };
    case 'FieldValueRequired':
      return { reason: rule.reason, field, message: `Required value: ${why}` };
    case 'FieldValueDuplicate':
      return { reason: rule.reason, field, message: `Duplicate value: ${shown}` };
    default:
      return { reason: 'FieldValueInvalid', field, message: `Invalid value: ${shown}: ${why}` };
  }
}

/** Where the walk is: the value at `path`, its old value and its schema. */
interface RuleWalk {
  causes: StatusCause[];
  path: string;
  value: unknown;
  old: unknown;
  schema: RuleSchema;
}

function checkNode(input: RuleWalk): void {
  const { causes, path, value, old, schema } = input;
  for (const validation of schema['x-kubernetes-validations'] ?? []) {
    const isTransition = /\boldSelf\b/.test(validation.rule);
    if (isTransition && old === undefined) continue;
    const program = compileRule(validation.rule);
    if (program === null) continue;
    const context = isTransition ? { self: value, oldSelf: old } : { self: value };
    const outcome = evaluate(program, validation, context);
    if (outcome.kind === 'holds') continue;
    // An evaluation error is always an invalid value at the rule's own place;
    // `reason` and `fieldPath` shape only a rule that evaluated to false.
    const cause =
      outcome.kind === 'error'
        ? ruleCause(path, value, { rule: validation.rule }, outcome.why)
        : ruleCause(`${path}${validation.fieldPath ?? ''}`, value, validation, outcome.why);
    causes.push(cause);
  }
}

function walk(input: RuleWalk): void {
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
export function checkRules(input: {
  object: JsonObject;
  schema: RuleSchema;
  /** The stored object, on update. */
  old?: JsonObject | undefined;
}): StatusCause[] {
  const { object, schema, old } = input;
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
