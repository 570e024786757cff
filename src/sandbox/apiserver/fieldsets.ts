// The field sets of managedFields: what an applied configuration sets, what
// a write changed, and their FieldsV1 form.
//
// In FieldsV1 a path is owned when its node is a leaf (`{}`) or carries a
// `.` entry; other nodes only lead to owned children. An applied
// configuration owns its leaves and list items but not the maps holding
// them, while a write (`Update`) owns every map and list it created, which
// is why `f:labels: {.: {}, ...}` shows up only in Update entries.
import {
  childrenOf,
  findChild,
  isObject,
  joinPath,
  shapeOf,
  stepsOf,
  type FieldSchema,
  type PathSet,
} from './fieldpath';

/** A FieldsV1 document: `f:`/`k:`/`v:` steps, `.` for an owned node with children. */
export type FieldsV1 = { [step: string]: FieldsV1 };

export function pathsFromFieldsV1(
  fields: FieldsV1,
  prefix = '',
  into: PathSet = new Set(),
): PathSet {
  const steps = Object.keys(fields).filter((step) => step !== '.');
  if (prefix !== '' && (steps.length === 0 || Object.hasOwn(fields, '.'))) into.add(prefix);
  for (const step of steps) {
    const child = fields[step];
    if (isObject(child)) pathsFromFieldsV1(child as FieldsV1, joinPath(prefix, step), into);
  }
  return into;
}

/** Steps kind by kind (fields, then keys, then values), each in name order, as the apiserver writes them. */
function stepOrder(a: string, b: string): number {
  const rank = (step: string): number => ['f:', 'k:', 'v:'].indexOf(step.slice(0, 2));
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

export function fieldsV1FromPaths(paths: PathSet): FieldsV1 {
  const root: FieldsV1 = {};
  const owned = new Set<FieldsV1>();
  for (const path of paths) {
    let node = root;
    for (const step of stepsOf(path)) node = node[step] ??= {};
    owned.add(node);
  }
  return sorted(root, owned);
}

function sorted(node: FieldsV1, owned: Set<FieldsV1>): FieldsV1 {
  const result: FieldsV1 = {};
  const steps = Object.keys(node).sort(stepOrder);
  if (owned.has(node) && steps.length > 0) result['.'] = {};
  for (const step of steps) result[step] = sorted(node[step] ?? {}, owned);
  return result;
}

/** The paths an applied configuration sets: its leaves, atomic values and list items. */
export function appliedPaths(value: unknown, schema: FieldSchema | undefined): PathSet {
  const paths: PathSet = new Set();
  const visit = (current: unknown, currentSchema: FieldSchema | undefined, path: string): void => {
    const shape = shapeOf(current, currentSchema);
    if (shape.kind === 'atomic') {
      if (path !== '' && current !== null) paths.add(path);
      return;
    }
    const children = [...childrenOf(current, currentSchema, shape)];
    // An empty map (`emptyDir: {}`) is a value the applier sets and owns.
    if (children.length === 0 && path !== '') paths.add(path);
    if (shape.kind !== 'object' && path !== '') {
      for (const child of children) paths.add(joinPath(path, child.step));
    }
    for (const child of children) visit(child.value, child.schema, joinPath(path, child.step));
  };
  visit(value, schema, '');
  return paths;
}

/** What a write changed, path by path. */
export interface Comparison {
  /** Paths present only after the write, every map, list and leaf of a new subtree included. */
  added: PathSet;
  /** Leaves and atomic values whose value changed. */
  modified: PathSet;
  /** Paths present only before the write (their subtrees went with them). */
  removed: PathSet;
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function addSubtree(
  value: unknown,
  schema: FieldSchema | undefined,
  path: string,
  into: PathSet,
): void {
  if (value === null) return;
  into.add(path);
  const shape = shapeOf(value, schema);
  for (const child of childrenOf(value, schema, shape)) {
    addSubtree(child.value, child.schema, joinPath(path, child.step), into);
  }
}

export function compareValues(
  before: unknown,
  after: unknown,
  schema: FieldSchema | undefined,
): Comparison {
  const result: Comparison = { added: new Set(), modified: new Set(), removed: new Set() };
  compareAt({ before, after, schema, path: '', result });
  return result;
}

function compareAt(input: {
  before: unknown;
  after: unknown;
  schema: FieldSchema | undefined;
  path: string;
  result: Comparison;
}): void {
  const { before, after, schema, path, result } = input;
  const shape = shapeOf(after, schema);
  const isSameKind = shape.kind !== 'atomic' && shapeOf(before, schema).kind === shape.kind;
  if (!isSameKind) {
    if (!sameValue(before, after) && path !== '') result.modified.add(path);
    return;
  }
  const afterChildren = childrenOf(after, schema, shape);
  const afterSteps = new Set(afterChildren.map((child) => child.step));
  for (const child of childrenOf(before, schema, shape)) {
    if (!afterSteps.has(child.step)) result.removed.add(joinPath(path, child.step));
  }
  for (const child of afterChildren) {
    const childPath = joinPath(path, child.step);
    const previous = findChild(before, { step: child.step, schema });
    if (previous === undefined || previous.value === null) {
      addSubtree(child.value, child.schema, childPath, result.added);
    } else {
      compareAt({
        before: previous.value,
        after: child.value,
        schema: child.schema,
        path: childPath,
        result,
      });
    }
  }
}

/** The set without every path that is, or lies under, one of `removed`. */
export function withoutSubtrees(paths: PathSet, removed: PathSet): PathSet {
  if (removed.size === 0) return paths;
  const kept: PathSet = new Set();
  for (const path of paths) {
    const steps = stepsOf(path);
    let isRemoved = false;
    let prefix = '';
    for (const step of steps) {
      prefix = joinPath(prefix, step);
      if (removed.has(prefix)) {
        isRemoved = true;
        break;
      }
    }
    if (!isRemoved) kept.add(path);
  }
  return kept;
}

export function difference(paths: PathSet, minus: PathSet): PathSet {
  return new Set([...paths].filter((path) => !minus.has(path)));
}
