// Status writes of the cluster controller, with CNPG's conditions.
import type { KubeObject } from '../store/types';
import { setCondition, type Condition } from './cnpg';
import { patchStatus, type StatusOf } from './client';
import type { OperatorContext } from './context';

export function conditionsOf(status: StatusOf): Condition[] {
  return Array.isArray(status.conditions) ? (status.conditions as Condition[]) : [];
}

/** Applies `mutate` to the cluster's status and writes it only when something changed. */
export function updateClusterStatus(
  ctx: OperatorContext,
  options: { cluster: KubeObject; mutate: (status: StatusOf, now: Date) => void },
): boolean {
  let changed = false;
  patchStatus({
    store: ctx.store,
    resource: ctx.resources.clusters,
    namespace: options.cluster.metadata.namespace ?? 'default',
    name: options.cluster.metadata.name,
    mutate: (status) => {
      const before = JSON.stringify(status);
      options.mutate(status, ctx.now());
      changed = JSON.stringify(status) !== before;
      return changed;
    },
  });
  return changed;
}

export function withConditions(status: StatusOf, list: Condition[], now: Date): void {
  let next = conditionsOf(status);
  for (const condition of list) next = setCondition(next, condition, now);
  status.conditions = next;
}

export function withoutCondition(status: StatusOf, type: string): void {
  status.conditions = conditionsOf(status).filter((entry) => entry.type !== type);
}

export function setPhase(status: StatusOf, phase: string, reason: string): void {
  status.phase = phase;
  status.phaseReason = reason;
}
