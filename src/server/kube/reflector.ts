// A reflector keeps the store's copy of one resource (cluster-wide or in one
// namespace) in step with the API server: paginated LIST, then WATCH from the
// list's resourceVersion, resuming from the last version seen.
//
// The loop is our own rather than client-node's informer because that
// informer keeps every raw object in memory (Deckhand keeps small
// projections), never asks for bookmarks (so a quiet resource relists after
// each watch timeout), and stops for good on connection errors other than
// 410, where a server must keep retrying.
import type { Logger } from 'pino';
import type { ProjectionByKind, StoreKind } from '../store/types';
import type { Store } from '../store/store';
import { projectors } from '../store/projections';
import { objectAt, stringAt } from '../store/narrow';
import { redactAddresses } from '../store/redact';
import { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { ReflectorHealth } from './reflector-health';
import { KubeApiError } from './api-error';
import { sleep, systemClock, type ReflectorClock } from './clock';
import { DEFAULT_MAX_LINE_BYTES } from './ndjson';
import { DEFAULT_PAGE_SIZE, listAll } from './list';
import { collectionPath, type WatchedResource } from './resources';
import type { KubeTransport } from './transport';
import { watchOnce, type ObjectEvent, type WatchOutcome, type WatchRequest } from './watch';

/** Counters of one reflector, for tests and metrics. */
export interface ReflectorCounters {
  /** Completed LISTs, the first one included. */
  lists: number;
  /** LISTs started again because a resourceVersion expired (410). */
  relists: number;
  /** Watch connections opened after the first one. */
  reconnects: number;
  /** Watch lines that were not valid events (each restarted the watch). */
  malformedLines: number;
  /** Objects skipped because they could not be projected. */
  malformedObjects: number;
  /** Watch events applied to the store (including ones that changed nothing). */
  eventsApplied: number;
  /** Failed requests (network errors, non-2xx answers). */
  errors: number;
}

/** All counters at zero. */
export function emptyCounters(): ReflectorCounters {
  return {
    lists: 0,
    relists: 0,
    reconnects: 0,
    malformedLines: 0,
    malformedObjects: 0,
    eventsApplied: 0,
    errors: 0,
  };
}

/** Options of a Reflector; only the first four are required. */
export interface ReflectorOptions {
  resource: WatchedResource;
  transport: KubeTransport;
  store: Store;
  logger: Logger;
  /** Watch one namespace instead of the whole cluster. */
  namespace?: string;
  backoff?: BackoffOptions;
  /** A watch that sends nothing for this long is dead (default 90 s). */
  silenceTimeoutMs?: number;
  /** Connected this long, the backoff starts over (default 60 s). */
  healthyAfterMs?: number;
  /** Watch `timeoutSeconds` is drawn from this range (default 300 to 600). */
  watchTimeoutSeconds?: { min: number; max: number };
  clock?: ReflectorClock;
  pageSize?: number;
  maxLineBytes?: number;
}

/** A watch the server ends sooner than this is retried with backoff, not at once. */
const MIN_HEALTHY_WATCH_MS = 1000;

/** Retry-After values beyond this are not honoured in full. */
const MAX_RETRY_AFTER_MS = 5 * 60_000;

/** Keeps one resource in the store in sync with the API server. */
export class Reflector {
  readonly counters: ReflectorCounters = emptyCounters();
  readonly kind: StoreKind;
  private readonly scope: string;
  private readonly path: string;
  private readonly clock: ReflectorClock;
  private readonly backoff: Backoff;
  private readonly logger: Logger;
  private readonly health: ReflectorHealth;
  private readonly stopper = new AbortController();
  private resourceVersion: string | undefined;
  private hasSynced = false;
  private watches = 0;
  private watchStartedAt = 0;
  private isWatchOpen = false;
  private connectedAt: number | undefined;
  private running: Promise<void> | undefined;
  private readonly synced: Promise<void>;
  private resolveSynced: () => void = () => undefined;

  constructor(private readonly options: ReflectorOptions) {
    this.kind = options.resource.kind;
    this.scope = options.namespace ?? '';
    this.path = collectionPath(options.resource, options.namespace);
    this.clock = options.clock ?? systemClock;
    this.backoff = new Backoff(options.backoff ?? DEFAULT_BACKOFF, () => this.clock.random());
    this.logger = options.logger.child({ kind: this.kind, namespace: options.namespace });
    this.synced = new Promise((resolve) => (this.resolveSynced = resolve));
    this.health = new ReflectorHealth({
      kind: this.kind,
      scope: this.scope,
      store: options.store,
      logger: this.logger,
      clock: this.clock,
    });
    options.store.trackKind(this.kind, this.scope);
  }

  /** Starts the list-and-watch loop; it runs until stop(). */
  start(): void {
    this.running ??= this.run();
  }

  /** Resolves once the first LIST is in the store. */
  waitForSync(): Promise<void> {
    return this.synced;
  }

  /** Stops the loop and any open request. */
  async stop(): Promise<void> {
    this.stopper.abort();
    await this.running;
  }

  /** Whether a watch connection is open right now. */
  get isConnected(): boolean {
    return this.isWatchOpen;
  }

  private get isStopped(): boolean {
    return this.stopper.signal.aborted;
  }

  private async run(): Promise<void> {
    while (!this.isStopped) {
      try {
        if (this.resourceVersion === undefined) await this.list();
        await this.afterWatch(await this.watch());
      } catch (error) {
        if (this.isStopped) break;
        await this.afterError(error);
      }
    }
  }

  private async list(): Promise<void> {
    const startedAt = this.clock.now();
    const result = await listAll<ProjectionByKind[StoreKind]>({
      transport: this.options.transport,
      path: this.path,
      ...(this.options.resource.labelSelector === undefined
        ? {}
        : { labelSelector: this.options.resource.labelSelector }),
      pageSize: this.options.pageSize ?? DEFAULT_PAGE_SIZE,
      signal: this.stopper.signal,
      project: (raw) => this.project(raw),
    });
    this.options.store.replaceAll(this.kind, result.items, this.options.namespace);
    this.resourceVersion = result.resourceVersion;
    this.counters.lists += 1;
    this.health.up();
    if (!this.hasSynced) {
      this.hasSynced = true;
      this.logger.info(
        { objects: result.items.length, ms: this.clock.now() - startedAt },
        'kind synced',
      );
      this.resolveSynced();
    }
  }

  private async watch(): Promise<WatchOutcome> {
    this.watchStartedAt = this.clock.now();
    this.watches += 1;
    if (this.watches > 1) this.counters.reconnects += 1;
    this.connectedAt = undefined;
    try {
      return await watchOnce(this.watchRequest());
    } finally {
      this.isWatchOpen = false;
      const healthyAfterMs = this.options.healthyAfterMs ?? 60_000;
      if (this.connectedAt !== undefined && this.clock.now() - this.connectedAt >= healthyAfterMs) {
        this.backoff.reset();
      }
    }
  }

  private watchRequest(): WatchRequest {
    const range = this.options.watchTimeoutSeconds ?? { min: 300, max: 600 };
    const { labelSelector } = this.options.resource;
    return {
      transport: this.options.transport,
      path: this.path,
      ...(labelSelector === undefined ? {} : { labelSelector }),
      resourceVersion: this.resourceVersion ?? '',
      timeoutSeconds: Math.floor(range.min + this.clock.random() * (range.max - range.min + 1)),
      signal: this.stopper.signal,
      clock: this.clock,
      silenceTimeoutMs: this.options.silenceTimeoutMs ?? 90_000,
      maxLineBytes: this.options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
      onConnected: () => {
        this.connectedAt = this.clock.now();
        this.isWatchOpen = true;
        this.health.up();
      },
      onEvent: (event) => this.apply(event),
      onBookmark: (resourceVersion) => this.advance(resourceVersion),
    };
  }

  private async afterWatch(outcome: WatchOutcome): Promise<void> {
    switch (outcome.type) {
      case 'stopped':
        return;
      case 'closed':
        this.logger.debug({ resourceVersion: this.resourceVersion }, 'watch closed by the server');
        if (this.clock.now() - this.watchStartedAt < MIN_HEALTHY_WATCH_MS) {
          return this.pause(this.backoff.next());
        }
        return;
      case 'expired':
        this.counters.relists += 1;
        this.logger.info(
          { resourceVersion: this.resourceVersion },
          'resourceVersion expired, relisting',
        );
        this.resourceVersion = undefined;
        return;
      case 'silent':
        this.logger.debug(
          { resourceVersion: this.resourceVersion },
          'watch went silent, reconnecting',
        );
        return this.pause(this.backoff.next());
      case 'malformed':
        this.counters.malformedLines += 1;
        this.logger.warn(
          {
            resourceVersion: this.resourceVersion,
            reason: outcome.reason,
            malformedLines: this.counters.malformedLines,
          },
          'malformed watch line, restarting the watch from the last good resourceVersion',
        );
        return this.pause(this.backoff.next());
    }
  }

  private async afterError(error: unknown): Promise<void> {
    this.counters.errors += 1;
    const message = redactAddresses(error instanceof Error ? error.message : String(error));
    if (error instanceof KubeApiError && error.isExpired) {
      // A continue token expired mid-list: list again from the start.
      this.counters.relists += 1;
      this.resourceVersion = undefined;
      return;
    }
    if (
      error instanceof KubeApiError &&
      error.status === 404 &&
      this.options.resource.isOptional === true
    ) {
      return this.whenAbsent();
    }

    const isPersistent = error instanceof KubeApiError && error.isPersistent;
    this.health.down({ message, isPersistent });
    const delay = this.backoff.next();
    const retryAfterMs = error instanceof KubeApiError ? (error.retryAfterSeconds ?? 0) * 1000 : 0;
    this.logger.debug(
      { err: message, delayMs: Math.max(delay, retryAfterMs) },
      'reconnecting after error',
    );
    await this.pause(Math.min(Math.max(delay, retryAfterMs), MAX_RETRY_AFTER_MS));
  }

  // An optional resource whose CRD is not installed holds no objects; check
  // again now and then in case it gets installed.
  private async whenAbsent(): Promise<void> {
    this.options.store.replaceAll(this.kind, [], this.options.namespace);
    this.health.up();
    if (!this.hasSynced) {
      this.hasSynced = true;
      this.logger.info('resource not installed, treating it as empty');
      this.resolveSynced();
    }
    await this.pause((this.options.backoff ?? DEFAULT_BACKOFF).maxMs);
  }

  private apply(event: ObjectEvent): void {
    this.counters.eventsApplied += 1;
    this.advance(event.resourceVersion);
    const { store } = this.options;
    if (event.type === 'DELETED') {
      const metadata = objectAt(event.object, 'metadata');
      const namespace = stringAt(metadata, 'namespace');
      const name = stringAt(metadata, 'name');
      if (namespace && name) store.delete(this.kind, namespace, name);
      else this.countMalformedObject('deleted object has no namespace or name');
      return;
    }
    const projection = this.project(event.object);
    if (projection !== undefined) store.upsert(this.kind, projection);
  }

  private project(raw: unknown): ProjectionByKind[StoreKind] | undefined {
    const result = projectors[this.kind](raw);
    if (result.ok) return result.value;
    this.countMalformedObject(result.reason);
    return undefined;
  }

  // The first ten are logged at warn, then every thousandth: a broken
  // controller can write thousands of bad objects, and the counter has them all.
  private countMalformedObject(reason: string): void {
    this.counters.malformedObjects += 1;
    const count = this.counters.malformedObjects;
    const level = count <= 10 || count % 1000 === 0 ? 'warn' : 'debug';
    this.logger[level](
      { reason, malformedObjects: this.counters.malformedObjects },
      'skipped a malformed object',
    );
  }

  private advance(resourceVersion: string): void {
    this.resourceVersion = resourceVersion;
    this.health.up();
  }

  private pause(ms: number): Promise<void> {
    return sleep(this.clock, ms, this.stopper.signal);
  }
}
