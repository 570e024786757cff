// Starts one reflector per watched resource (and per namespace when Deckhand
// is limited to some namespaces) and reports their combined state.
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { KindStatus } from '../store/types';
import type { Store } from '../store/store';
import {
  emptyCounters,
  Reflector,
  type ReflectorCounters,
  type ReflectorOptions,
} from './reflector';
import { WATCHED_RESOURCES, type WatchedResource } from './resources';
import { kubeTransport, type KubeTransport } from './transport';

/** Options of startReflectors. */
export interface StartReflectorsOptions {
  kubeConfig: KubeConfig;
  store: Store;
  logger: Logger;
  /** Watch only these namespaces (one reflector each); all namespaces when absent or empty. */
  namespaces?: string[];
  /** Resources to watch; all of Deckhand's by default. */
  resources?: readonly WatchedResource[];
  /** Replaces the kubeconfig-based HTTP transport (tests). */
  transport?: KubeTransport;
  /** Timing knobs passed to every reflector. */
  tuning?: Pick<
    ReflectorOptions,
    | 'backoff'
    | 'silenceTimeoutMs'
    | 'healthyAfterMs'
    | 'watchTimeoutSeconds'
    | 'clock'
    | 'pageSize'
    | 'maxLineBytes'
  >;
}

/** The running reflectors. */
export interface RunningReflectors {
  stop(): Promise<void>;
  statuses(): KindStatus[];
  /**
   * Resolves when every reflector has completed its first LIST. A kind that
   * stays forbidden never completes one, so callers that wait should bound it.
   */
  waitForSync(): Promise<void>;
  /** Counters summed per kind. */
  counters(): Record<string, ReflectorCounters>;
  readonly reflectors: readonly Reflector[];
}

/** Starts every reflector; they keep retrying until stop(). */
export function startReflectors(options: StartReflectorsOptions): RunningReflectors {
  const transport = options.transport ?? kubeTransport(options.kubeConfig);
  const namespaces = options.namespaces?.filter((namespace) => namespace !== '') ?? [];
  const scopes: (string | undefined)[] = namespaces.length > 0 ? namespaces : [undefined];

  const reflectors = (options.resources ?? WATCHED_RESOURCES).flatMap((resource) =>
    scopes.map(
      (namespace) =>
        new Reflector({
          ...options.tuning,
          resource,
          transport,
          store: options.store,
          logger: options.logger,
          ...(namespace === undefined ? {} : { namespace }),
        }),
    ),
  );
  for (const reflector of reflectors) reflector.start();
  options.logger.info(
    { reflectors: reflectors.length, namespaces: namespaces.length > 0 ? namespaces : 'all' },
    'watching',
  );

  return {
    reflectors,
    stop: async () => {
      await Promise.all(reflectors.map((reflector) => reflector.stop()));
    },
    statuses: () => options.store.kindStatuses(),
    waitForSync: async () => {
      await Promise.all(reflectors.map((reflector) => reflector.waitForSync()));
    },
    counters: () => sumCounters(reflectors),
  };
}

function sumCounters(reflectors: readonly Reflector[]): Record<string, ReflectorCounters> {
  const totals: Record<string, ReflectorCounters> = {};
  for (const reflector of reflectors) {
    const total = (totals[reflector.kind] ??= emptyCounters());
    for (const key of Object.keys(total) as (keyof ReflectorCounters)[]) {
      total[key] += reflector.counters[key];
    }
  }
  return totals;
}
