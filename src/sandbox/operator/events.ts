// Kubernetes Events as CNPG's EventRecorder writes them (source component
// `cloudnative-pg`), so `kubectl describe` and `kubectl get events` show what
// the operator did. Only events whose reason and text match CNPG's code are
// recorded. Like the apiserver, which forgets events after an hour, the
// recorder deletes its events that are more than an hour old (checked each
// time it records one), and keeps at most a bounded number so a
// long-running demo does not grow without end. Recording is best effort, as
// in client-go: a failed write is logged and the operator carries on.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { ApiError } from '../store/errors';
import type { KubeObject, ObjectStore, ResourceType } from '../store/types';
import { rfc3339 } from './cnpg';

const eventTtlMs = 3_600_000;
const maxEvents = 5_000;

export interface EventInput {
  object: KubeObject;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export class EventRecorder {
  private readonly recorded: { namespace: string; name: string; at: number }[] = [];

  constructor(
    private readonly options: {
      store: ObjectStore;
      /** Absent when the store serves no Events. */
      resource: ResourceType | undefined;
      now: () => Date;
      logger: Logger;
    },
  ) {}

  record(input: EventInput): void {
    const { resource } = this.options;
    if (resource === undefined) return;
    const { object } = input;
    const namespace = object.metadata.namespace ?? 'default';
    const now = this.options.now();
    const stamp = rfc3339(now);
    const name = `${object.metadata.name}.${randomBytes(8).toString('hex')}`;
    try {
      this.create(resource, { name, namespace, stamp, input });
    } catch (error) {
      this.options.logger.debug({ err: error, reason: input.reason }, 'could not record an event');
      return;
    }
    this.recorded.push({ namespace, name, at: now.getTime() });
    this.forgetOld(now.getTime());
  }

  private create(
    resource: ResourceType,
    event: { name: string; namespace: string; stamp: string; input: EventInput },
  ): void {
    const { name, namespace, stamp, input } = event;
    const { object } = input;
    this.options.store.create(resource, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        apiVersion: object.apiVersion,
        kind: object.kind,
        name: object.metadata.name,
        namespace,
        uid: object.metadata.uid ?? '',
        resourceVersion: object.metadata.resourceVersion ?? '',
      },
      reason: input.reason,
      message: input.message,
      type: input.type,
      source: { component: 'cloudnative-pg' },
      reportingComponent: 'cloudnative-pg',
      reportingInstance: '',
      firstTimestamp: stamp,
      lastTimestamp: stamp,
      count: 1,
    });
  }

  private forgetOld(now: number): void {
    const { store, resource } = this.options;
    if (resource === undefined) return;
    while (this.recorded.length > 0) {
      const oldest = this.recorded[0];
      if (oldest === undefined) break;
      if (this.recorded.length <= maxEvents && now - oldest.at < eventTtlMs) break;
      this.recorded.shift();
      try {
        store.delete(resource, oldest.namespace, oldest.name);
      } catch (error) {
        // Someone (kubectl delete) removed it already.
        if (!(error instanceof ApiError && error.code === 404)) throw error;
      }
    }
  }
}
