// Label and field selectors, compiled once per request into predicates so a
// list or a watch evaluates them per object without reparsing.
import { badRequest } from './errors';
import type { KubeObject } from './types';

export type ObjectPredicate = (object: KubeObject) => boolean;

type LabelRequirement =
  | { op: 'exists' | '!exists'; key: string }
  | { op: 'in' | 'notin'; key: string; values: Set<string> }
  | { op: 'gt' | 'lt'; key: string; bound: number };

const MAX_SELECTOR_LENGTH = 16 * 1024;
const labelKey =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Splits on commas that are not inside a parenthesised value list. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === ',' && depth === 0) {
      parts.push(text.slice(start, index));
      start = index + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((part) => part.trim());
}

function checkKey(key: string): string {
  if (key.length > 316 || !labelKey.test(key)) {
    throw badRequest(`unable to parse requirement: invalid label key "${key}"`);
  }
  return key;
}

function checkValue(value: string): string {
  if (value.length > 63 || !labelValue.test(value)) {
    throw badRequest(`unable to parse requirement: invalid label value: "${value}"`);
  }
  return value;
}

function parseSetRequirement(match: RegExpMatchArray): LabelRequirement {
  const key = checkKey(match[1] ?? '');
  const op = match[2] === 'in' ? 'in' : 'notin';
  const values = new Set((match[3] ?? '').split(',').map((value) => checkValue(value.trim())));
  return { op, key, values };
}

function parseRequirement(text: string): LabelRequirement {
  const setMatch = /^(\S+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(text);
  if (setMatch !== null) return parseSetRequirement(setMatch);

  const compare = /^([^!=<>\s]+)\s*(==|=|!=|<|>)\s*(.*)$/.exec(text);
  if (compare !== null) {
    const key = checkKey(compare[1] ?? '');
    const operator = compare[2];
    const raw = (compare[3] ?? '').trim();
    if (operator === '<' || operator === '>') {
      const bound = Number(raw);
      if (raw === '' || !Number.isInteger(bound)) {
        throw badRequest(`unable to parse requirement: invalid integer value "${raw}"`);
      }
      return { op: operator === '<' ? 'lt' : 'gt', key, bound };
    }
    const values = new Set([checkValue(raw)]);
    return { op: operator === '!=' ? 'notin' : 'in', key, values };
  }

  if (text.startsWith('!')) return { op: '!exists', key: checkKey(text.slice(1).trim()) };
  return { op: 'exists', key: checkKey(text) };
}

function matchesRequirement(
  labels: Record<string, string>,
  requirement: LabelRequirement,
): boolean {
  const value = Object.hasOwn(labels, requirement.key) ? labels[requirement.key] : undefined;
  switch (requirement.op) {
    case 'exists':
      return value !== undefined;
    case '!exists':
      return value === undefined;
    case 'in':
      return value !== undefined && requirement.values.has(value);
    case 'notin':
      return value === undefined || !requirement.values.has(value);
    case 'gt':
    case 'lt': {
      const number = Number(value);
      if (value === undefined || !Number.isInteger(number)) return false;
      return requirement.op === 'gt' ? number > requirement.bound : number < requirement.bound;
    }
  }
}

/** Compiles `a=b,c!=d,e in (f,g),!h`; an empty selector matches everything. */
export function compileLabelSelector(selector: string | undefined): ObjectPredicate | undefined {
  if (selector === undefined || selector.trim() === '') return undefined;
  if (selector.length > MAX_SELECTOR_LENGTH) throw badRequest('label selector is too long');
  const requirements = splitTopLevel(selector).map((part) => {
    if (part === '')
      throw badRequest(`unable to parse requirement: empty requirement in "${selector}"`);
    return parseRequirement(part);
  });
  return (object) => {
    const labels = object.metadata.labels ?? {};
    return requirements.every((requirement) => matchesRequirement(labels, requirement));
  };
}

/** Field paths a field selector may use, per resource, as the real apiserver allows them. */
const supportedFields: Record<string, readonly string[]> = {
  pods: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
  namespaces: ['status.phase'],
  events: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
};

/** Selector fields that name another path of the object, as the apiserver maps them. */
const fieldAliases: Record<string, string> = { source: 'source.component' };

function readPath(object: KubeObject, path: string): string {
  let current: unknown = object;
  for (const segment of (fieldAliases[path] ?? path).split('.')) {
    if (current === null || typeof current !== 'object') return '';
    current = (current as Record<string, unknown>)[segment];
  }
  if (current === undefined || current === null) return '';
  return typeof current === 'object' ? JSON.stringify(current) : String(current);
}

/** Compiles `metadata.name=x,status.phase!=Running`; unknown fields are a 400 as on a real server. */
export function compileFieldSelector(
  selector: string | undefined,
  resource: string,
): ObjectPredicate | undefined {
  if (selector === undefined || selector.trim() === '') return undefined;
  if (selector.length > MAX_SELECTOR_LENGTH) throw badRequest('field selector is too long');
  const allowed = new Set([
    'metadata.name',
    'metadata.namespace',
    ...(supportedFields[resource] ?? []),
  ]);
  const terms = selector.split(',').map((term) => {
    const match = /^\s*([^!=\s]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(term);
    if (match === null)
      throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    const field = match[1] ?? '';
    if (!allowed.has(field)) throw badRequest(`field label not supported: ${field}`);
    return { field, negate: match[2] === '!=', value: match[3] ?? '' };
  });
  return (object) =>
    terms.every((term) => (readPath(object, term.field) === term.value) !== term.negate);
}

/** Both selectors as one predicate, or undefined when neither filters anything. */
export function compileSelectors(options: {
  resource: string;
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
}): ObjectPredicate | undefined {
  const byLabel = compileLabelSelector(options.labelSelector);
  const byField = compileFieldSelector(options.fieldSelector, options.resource);
  if (byLabel === undefined) return byField;
  if (byField === undefined) return byLabel;
  return (object) => byLabel(object) && byField(object);
}
