// Shares one copy of strings that repeat across many projections (namespace,
// cluster name, phase, image, condition texts): at 10,000 clusters the same
// few hundred values otherwise exist as some hundred thousand separate copies.

/** Values longer than this are rarely shared and are left alone. */
const MAX_INTERNED_LENGTH = 256;
/** The pool starts over when it reaches this size, which bounds its memory. */
const MAX_POOL_SIZE = 100_000;

const pool = new Map<string, string>();

/** The pooled copy of `value`, equal to it. */
export function intern<T extends string>(value: T): T {
  if (value.length > MAX_INTERNED_LENGTH) return value;
  const pooled = pool.get(value);
  if (pooled !== undefined) return pooled as T;
  if (pool.size >= MAX_POOL_SIZE) pool.clear();
  pool.set(value, value);
  return value;
}

/** intern() for an optional value. */
export function internOptional<T extends string>(value: T | undefined): T | undefined {
  return value === undefined ? undefined : intern(value);
}
