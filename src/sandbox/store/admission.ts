// The hook through which schema validation, pruning and defaulting run on
// every write (see src/sandbox/schema). It mutates the object it is given (a
// private copy the store has not frozen yet) and returns the field errors.
import type { StatusCause } from './errors';
import type { KubeObject, ResourceType } from './types';

export interface AdmissionResult {
  /** Field errors: a 422 Invalid when any. */
  causes: StatusCause[];
  /** Fields pruned as unknown to the schema (`spec.bogus`), for fieldValidation. */
  unknownFields: string[];
}

export interface Admission {
  admit(input: {
    resource: ResourceType;
    object: KubeObject;
    operation: 'create' | 'update';
    /** The stored object an update replaces, for transition rules. */
    oldObject?: KubeObject;
  }): AdmissionResult;
}

/** Recursively freezes a freshly cloned object so no reader can change stored state. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
