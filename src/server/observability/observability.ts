// Deckhand's own Prometheus metrics, served at `GET /metrics` on the API port.
// Each server gets its own registry (not prom-client's global one), so several
// servers can live in one process, as they do in tests.
import type { FastifyInstance } from 'fastify';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { RouteModule } from '../api/app';
import type { ApiDeps } from '../api/deps';
import type { ScrapeObservation } from '../metrics/index';
import { instrumentRequests, requestHistogram, type RequestHistogram } from './http-metrics';
import { ScrapeMetrics } from './scrape-metrics';
import {
  registerStateMetrics,
  type HubStatsSource,
  type ReflectorCountersSource,
  type StateSources,
} from './state-metrics';

export interface ObservabilityOptions {
  /**
   * Adds prom-client's process and Node.js metrics (`process_*`, `nodejs_*`:
   * CPU, memory, heap, event-loop lag, GC) under their usual unprefixed
   * names, which ready-made Node.js dashboards expect. On by default.
   * prom-client cannot stop these collectors again: each registry that has
   * them keeps a small event-loop delay monitor for the life of the process.
   */
  shouldCollectRuntime?: boolean;
}

/** Path of the endpoint; the auth layer treats it as protected. */
export const metricsPath = '/metrics';

export class Observability {
  readonly registry = new Registry();
  private readonly requests: RequestHistogram;
  private readonly scrapes: ScrapeMetrics;
  private readonly sources: StateSources = {};

  constructor(options: ObservabilityOptions = {}) {
    if (options.shouldCollectRuntime ?? true) collectDefaultMetrics({ register: this.registry });
    this.requests = requestHistogram(this.registry);
    this.scrapes = new ScrapeMetrics(this.registry);
    registerStateMetrics(this.registry, this.sources);
  }

  /** Route module for buildApp: times every request and serves `GET /metrics`. */
  readonly routes: RouteModule = (app: FastifyInstance, deps: ApiDeps) => {
    this.sources.kindStatuses = deps.store;
    instrumentRequests(app, this.requests);
    app.get(metricsPath, async (_request, reply) => {
      const body = await this.registry.metrics();
      return reply.header('cache-control', 'no-store').type(this.registry.contentType).send(body);
    });
  };

  /** Pass as the scraper's `onScrape`. */
  readonly observeScrape = (observation: ScrapeObservation): void => {
    this.scrapes.observe(observation);
  };

  watchHub(hub: HubStatsSource): void {
    this.sources.hub = hub;
  }

  watchReflectors(counters: ReflectorCountersSource): void {
    this.sources.reflectorCounters = counters;
  }
}
