// Structural equality for projections, which are plain JSON-like trees
// (objects, arrays, strings, numbers, booleans). The store uses it to drop
// updates that change nothing Deckhand keeps: most watch events touch only
// fields a projection leaves out (resourceVersion, managedFields, probes).

/** Whether two JSON-like values are structurally equal. */
export function isDeepEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) {
    return false;
  }
  if (Array.isArray(left) || Array.isArray(right)) {
    return Array.isArray(left) && Array.isArray(right) && areArraysEqual(left, right);
  }
  return areObjectsEqual(left as Record<string, unknown>, right as Record<string, unknown>);
}

function areArraysEqual(left: unknown[], right: unknown[]): boolean {
  if (left.length !== right.length) return false;
  return left.every((item, index) => isDeepEqual(item, right[index]));
}

function areObjectsEqual(left: Record<string, unknown>, right: Record<string, unknown>): boolean {
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.hasOwn(right, key) && isDeepEqual(left[key], right[key]));
}
