// Narrowing helpers for Kubernetes JSON, which arrives as `unknown`. Each one
// answers `undefined` for a missing or mistyped field instead of throwing, so a
// projection can decide per field whether the object is still usable.

/** A JSON object, as opposed to an array, null or a scalar. */
export type JsonObject = Record<string, unknown>;

/** The value as a JSON object, if it is one. */
export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

/** `object[key]` as a JSON object. */
export function objectAt(object: JsonObject | undefined, key: string): JsonObject | undefined {
  return asObject(object?.[key]);
}

/** `object[key]` as a string. */
export function stringAt(object: JsonObject | undefined, key: string): string | undefined {
  const value = object?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** `object[key]` as a finite number. */
export function numberAt(object: JsonObject | undefined, key: string): number | undefined {
  const value = object?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** `object[key]` as a boolean. */
export function booleanAt(object: JsonObject | undefined, key: string): boolean | undefined {
  const value = object?.[key];
  return typeof value === 'boolean' ? value : undefined;
}

/** `object[key]` as an array (elements still unchecked). */
export function arrayAt(object: JsonObject | undefined, key: string): unknown[] {
  const value = object?.[key];
  return Array.isArray(value) ? value : [];
}

/**
 * The same elements in an array of exactly their length. `filter` and
 * `flatMap` grow their result as they go and leave spare room behind (space
 * for 17 elements in a result of 3), which the store would otherwise hold for
 * the life of every projection.
 */
export function trimmed<T>(items: T[]): T[] {
  return items.slice();
}

/** `object[key]` as a list of strings; non-string elements are dropped. */
export function stringsAt(object: JsonObject | undefined, key: string): string[] {
  return trimmed(arrayAt(object, key).filter((item): item is string => typeof item === 'string'));
}

/** `object[key]` as a map of strings; non-string values are dropped. */
export function stringMapAt(object: JsonObject | undefined, key: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(objectAt(object, key) ?? {})) {
    if (typeof value === 'string') result[name] = value;
  }
  return result;
}

/** The parsed JSON text, or undefined when it is not valid JSON. */
export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
