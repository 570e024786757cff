// The conditions kube-controller-manager's namespace controller keeps on a
// terminating namespace, with its exact types, reasons and messages, so that
// `kubectl describe namespace` explains why a namespace is still there.

interface NamespaceCondition {
  type: string;
  status: 'True' | 'False';
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/** What is still in a namespace after a deletion pass. */
export interface Remaining {
  total: number;
  /** `pods.` / `clusters.postgresql.cnpg.io`, as the controller names them, with counts. */
  byResource: Map<string, number>;
  byFinalizer: Map<string, number>;
}

/** The five conditions the controller keeps, with their wording when all is well. */
const settledConditions: readonly Omit<NamespaceCondition, 'lastTransitionTime'>[] = [
  {
    type: 'NamespaceDeletionDiscoveryFailure',
    status: 'False',
    reason: 'ResourcesDiscovered',
    message: 'All resources successfully discovered',
  },
  {
    type: 'NamespaceDeletionGroupVersionParsingFailure',
    status: 'False',
    reason: 'ParsedGroupVersions',
    message: 'All legacy kube types successfully parsed',
  },
  {
    type: 'NamespaceDeletionContentFailure',
    status: 'False',
    reason: 'ContentDeleted',
    message: 'All content successfully deleted, may be waiting on finalization',
  },
  {
    type: 'NamespaceContentRemaining',
    status: 'False',
    reason: 'ContentRemoved',
    message: 'All content successfully removed',
  },
  {
    type: 'NamespaceFinalizersRemaining',
    status: 'False',
    reason: 'ContentHasNoFinalizers',
    message: 'All content-preserving finalizers finished',
  },
];

/** `a has 2 resource instances, b has 1 resource instances`, sorted as the controller sorts. */
function tally(
  counts: Map<string, number>,
  phrase: (key: string, count: number) => string,
): string {
  return [...counts]
    .map(([key, count]) => phrase(key, count))
    .sort()
    .join(', ');
}

export function wantedConditions(
  remaining: Remaining,
): Omit<NamespaceCondition, 'lastTransitionTime'>[] {
  return settledConditions.map((condition) => {
    if (condition.type === 'NamespaceContentRemaining' && remaining.byResource.size > 0) {
      const list = tally(remaining.byResource, (key, n) => `${key} has ${n} resource instances`);
      return {
        ...condition,
        status: 'True',
        reason: 'SomeResourcesRemain',
        message: `Some resources are remaining: ${list}`,
      };
    }
    if (condition.type === 'NamespaceFinalizersRemaining' && remaining.byFinalizer.size > 0) {
      const list = tally(remaining.byFinalizer, (key, n) => `${key} in ${n} resource instances`);
      return {
        ...condition,
        status: 'True',
        reason: 'SomeFinalizersRemain',
        message: `Some content in the namespace has finalizers remaining: ${list}`,
      };
    }
    return condition;
  });
}

/**
 * The namespace's conditions with the wanted ones merged in: other conditions
 * stay, and a condition's lastTransitionTime moves only when its status flips.
 */
export function mergedConditions(input: {
  current: unknown;
  wanted: Omit<NamespaceCondition, 'lastTransitionTime'>[];
  now: string;
}): { conditions: unknown[]; hasChanged: boolean } {
  const conditions: unknown[] = Array.isArray(input.current) ? [...input.current] : [];
  let hasChanged = false;
  for (const wanted of input.wanted) {
    const index = conditions.findIndex(
      (entry) => (entry as NamespaceCondition).type === wanted.type,
    );
    const old = index < 0 ? undefined : (conditions[index] as NamespaceCondition);
    if (old === undefined) {
      conditions.push({ ...wanted, lastTransitionTime: input.now });
      hasChanged = true;
    } else if (
      old.status !== wanted.status ||
      old.reason !== wanted.reason ||
      old.message !== wanted.message
    ) {
      const since = old.status === wanted.status ? old.lastTransitionTime : input.now;
      conditions[index] = { ...wanted, lastTransitionTime: since };
      hasChanged = true;
    }
  }
  return { conditions, hasChanged };
}
