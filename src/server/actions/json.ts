// Narrowing helpers for raw Kubernetes objects, which are JSON of unknown shape:
// every read says what it expects and gets undefined when the object disagrees.

/** A JSON object whose values are not yet checked. */
export type JsonObject = Record<string, unknown>;

export function asRecord(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Follows a path of object keys; undefined as soon as one step is not an object. */
export function getPath(root: unknown, path: readonly string[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    const record = asRecord(current);
    if (record === undefined) return undefined;
    current = record[key];
  }
  return current;
}

export function getRecord(root: unknown, path: readonly string[]): JsonObject | undefined {
  return asRecord(getPath(root, path));
}

export function getString(root: unknown, path: readonly string[]): string | undefined {
  return asString(getPath(root, path));
}

/** A map of string to string (labels, plugin parameters), dropping other values. */
export function getStringMap(root: unknown, path: readonly string[]): Record<string, string> {
  const record = getRecord(root, path) ?? {};
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === 'string') result[key] = value;
  }
  return result;
}
