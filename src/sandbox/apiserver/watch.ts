// Watch streams: newline-delimited JSON events over a chunked response, one
// write per event. A watch starts from a resourceVersion (exclusive) using the
// store's history, or from "0"/"" with a synthetic ADDED per current object;
// a resourceVersion older than the history gets an ERROR event with a 410
// Expired Status on an HTTP 200 stream, which is what kube-apiserver's watch
// cache answers. Streams end at timeoutSeconds, when the client goes, when
// the client reads too slowly, or on a fault.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { ApiError, badRequest, toStatus, tooManyRequests } from '../store/errors';
import { compileSelectors, type ObjectPredicate } from '../store/selectors';
import type { KubeObject, ObjectStore, ResourceType, StoreEvent } from '../store/types';
import type { WatchControl } from './faults';
import { toTable } from './table';

export interface WatchOptions {
  store: ObjectStore;
  logger: Logger;
  /** Interval of BOOKMARK events when a client allows them. */
  bookmarkIntervalMs: number;
  maxWatches: number;
}

export interface WatchRequest {
  resource: ResourceType;
  namespace: string | undefined;
  query: URLSearchParams;
  asTable: boolean;
}

type WatchEvent = { type: string; object: unknown };

/** A stream that cannot keep up is cut rather than buffered without bound. */
const maxBufferedBytes = 16 * 1024 * 1024;
const maxStalledEvents = 10_000;

function isTrue(value: string | null): boolean {
  return value === 'true' || value === '1' || value === 'True';
}

function parseResourceVersion(text: string | null): number | undefined {
  if (text === null || text === '' || text === '0') return undefined;
  if (!/^\d{1,15}$/.test(text))
    throw badRequest(`resourceVersion: Invalid value: "${text}": must be a number`);
  return Number(text);
}

function parseTimeoutSeconds(text: string | null): number {
  if (text === null || text === '') return 1800 * (1 + Math.random());
  const seconds = Number(text);
  if (!/^\d{1,9}$/.test(text)) throw badRequest(`timeoutSeconds: Invalid value: "${text}"`);
  return seconds;
}

class WatchStream {
  private readonly timers: NodeJS.Timeout[] = [];
  private stalledQueue: WatchEvent[] | undefined;
  private unsubscribe: (() => void) | undefined;
  private isEnded = false;
  private bufferAllowance = Infinity;

  constructor(
    private readonly res: ServerResponse,
    private readonly request: WatchRequest & { predicate: ObjectPredicate | undefined },
    private readonly registry: WatchRegistry,
  ) {}

  matches(object: KubeObject): boolean {
    const { resource, namespace, predicate } = this.request;
    if (resource.namespaced && namespace !== undefined && object.metadata.namespace !== namespace) {
      return false;
    }
    return predicate === undefined || predicate(object);
  }

  /** Translates a store event into what this stream's filter makes of it. */
  translate(event: StoreEvent): WatchEvent | undefined {
    if (event.resource !== this.request.resource) return undefined;
    const isMatch = this.matches(event.object);
    if (event.type !== 'MODIFIED' || event.oldObject === undefined) {
      return isMatch ? { type: event.type, object: event.object } : undefined;
    }
    const wasMatch = this.matches(event.oldObject);
    if (isMatch) return { type: wasMatch ? 'MODIFIED' : 'ADDED', object: event.object };
    return wasMatch ? { type: 'DELETED', object: event.object } : undefined;
  }

  start(
    initial: WatchEvent[],
    options: { bookmarkIntervalMs: number; timeoutSeconds: number; hasBookmarks: boolean },
  ): void {
    this.res.writeHead(200, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache, private',
      'Transfer-Encoding': 'chunked',
    });
    this.res.flushHeaders();
    this.res.on('close', () => this.end());
    if (initial.length > 0) this.writeLines(initial);
    // The initial burst may be large by itself; only what piles up after it counts as lag.
    this.bufferAllowance = maxBufferedBytes + this.res.writableLength;

    this.unsubscribe = this.registry.store.subscribe((event) => {
      const translated = this.translate(event);
      if (translated !== undefined) this.send(translated);
    });
    if (options.hasBookmarks) {
      this.timers.push(setInterval(() => this.sendBookmark(), options.bookmarkIntervalMs));
    }
    this.timers.push(setTimeout(() => this.end(), options.timeoutSeconds * 1000));
    for (const timer of this.timers) timer.unref();
  }

  private format(event: WatchEvent): string {
    if (!this.request.asTable || event.type === 'ERROR' || event.type === 'BOOKMARK') {
      return JSON.stringify(event);
    }
    const object = event.object as KubeObject;
    const table = toTable({
      resource: this.request.resource,
      objects: [object],
      listMeta: { resourceVersion: object.metadata.resourceVersion },
      now: new Date(),
      includeObject: 'Metadata',
    });
    return JSON.stringify({ type: event.type, object: table });
  }

  private writeLines(events: WatchEvent[]): void {
    if (this.isEnded) return;
    this.res.write(events.map((event) => `${this.format(event)}\n`).join(''));
    if (this.res.writableLength > this.bufferAllowance) {
      this.registry.logger.warn(
        { resource: this.request.resource.resource },
        'watch client too slow, closing',
      );
      this.end();
    }
  }

  send(event: WatchEvent): void {
    if (this.stalledQueue === undefined) {
      this.writeLines([event]);
      return;
    }
    this.stalledQueue.push(event);
    if (this.stalledQueue.length > maxStalledEvents) this.end();
  }

  private sendBookmark(): void {
    if (this.stalledQueue !== undefined) return;
    const { kind } = this.request.resource;
    const apiVersion =
      this.request.resource.group === ''
        ? this.request.resource.version
        : `${this.request.resource.group}/${this.request.resource.version}`;
    const resourceVersion = String(this.registry.store.currentResourceVersion());
    this.writeLines([
      { type: 'BOOKMARK', object: { kind, apiVersion, metadata: { resourceVersion } } },
    ]);
  }

  setStalled(stalled: boolean): void {
    if (stalled) {
      this.stalledQueue ??= [];
      return;
    }
    const queued = this.stalledQueue;
    this.stalledQueue = undefined;
    if (queued !== undefined && queued.length > 0) this.writeLines(queued);
  }

  /** Sends an ERROR event carrying the Status of `error`, then ends the stream. */
  fail(error: ApiError): void {
    this.stalledQueue = undefined;
    this.writeLines([{ type: 'ERROR', object: toStatus(error) }]);
    this.end();
  }

  end(): void {
    if (this.isEnded) return;
    this.isEnded = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.unsubscribe?.();
    this.registry.forget(this);
    if (!this.res.writableEnded) this.res.end();
  }
}

export class WatchRegistry implements WatchControl {
  private readonly streams = new Set<WatchStream>();
  private isStalled = false;
  readonly store: ObjectStore;
  readonly logger: Logger;

  constructor(private readonly options: WatchOptions) {
    this.store = options.store;
    this.logger = options.logger;
  }

  get size(): number {
    return this.streams.size;
  }

  forget(stream: WatchStream): void {
    this.streams.delete(stream);
  }

  /** Starts a watch; throws ApiErrors (answered as plain responses) for bad requests. */
  start(_req: IncomingMessage, res: ServerResponse, request: WatchRequest): void {
    if (this.streams.size >= this.options.maxWatches) throw tooManyRequests(1);
    const { query, resource } = request;
    const predicate = compileSelectors({
      resource: resource.resource,
      labelSelector: query.get('labelSelector') ?? undefined,
      fieldSelector: query.get('fieldSelector') ?? undefined,
    });
    const since = parseResourceVersion(query.get('resourceVersion'));
    const timeoutSeconds = parseTimeoutSeconds(query.get('timeoutSeconds'));
    const stream = new WatchStream(res, { ...request, predicate }, this);

    let initial: WatchEvent[];
    let expired: ApiError | undefined;
    try {
      initial = this.initialEvents({ stream, request, since, predicate });
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 410) throw error;
      initial = [];
      expired = error;
    }

    this.streams.add(stream);
    stream.start(initial, {
      bookmarkIntervalMs: this.options.bookmarkIntervalMs,
      timeoutSeconds,
      hasBookmarks: isTrue(query.get('allowWatchBookmarks')),
    });
    if (this.isStalled) stream.setStalled(true);
    if (expired !== undefined) stream.fail(expired);
  }

  private initialEvents(input: {
    stream: WatchStream;
    request: WatchRequest;
    since: number | undefined;
    predicate: ObjectPredicate | undefined;
  }): WatchEvent[] {
    const { stream, request, since } = input;
    if (since === undefined) {
      const namespace = request.resource.namespaced ? request.namespace : undefined;
      const listed = this.store.list(request.resource, {
        ...(namespace === undefined ? {} : { namespace }),
        ...(request.query.get('labelSelector') === null
          ? {}
          : { labelSelector: request.query.get('labelSelector') ?? '' }),
        ...(request.query.get('fieldSelector') === null
          ? {}
          : { fieldSelector: request.query.get('fieldSelector') ?? '' }),
      });
      return listed.items.map((object) => ({ type: 'ADDED', object }));
    }
    const events: WatchEvent[] = [];
    for (const event of this.store.eventsSince(since)) {
      const translated = stream.translate(event);
      if (translated !== undefined) events.push(translated);
    }
    return events;
  }

  closeAll(): void {
    for (const stream of [...this.streams]) stream.end();
  }

  goneInStream(): void {
    const current = this.store.currentResourceVersion();
    for (const stream of [...this.streams]) {
      stream.fail(
        new ApiError({
          code: 410,
          reason: 'Expired',
          message: `too old resource version: ${current} (${current + 1})`,
        }),
      );
    }
  }

  setStalled(stalled: boolean): void {
    this.isStalled = stalled;
    for (const stream of this.streams) stream.setStalled(stalled);
  }
}
