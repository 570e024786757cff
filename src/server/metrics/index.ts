// Entry point of the metrics side: wires targets, scraper, cache and history.
import { readFileSync } from 'node:fs';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { HealthThresholds } from '../../contract/api';
import type { StoreReader } from '../store/types';
import { MetricsCache } from './cache';
import { EndpointFactory } from './endpoints';
import { fetchExposition } from './fetch';
import { ParseBudget } from './parse-budget';
import { resolveThresholds } from './health';
import { historySlots } from './history';
import { ONLY_SERIES, WANTED_METRICS } from './readings';
import { Scraper, type ScraperStats } from './scraper';
import type { MetricsReader } from './types';

/**
 * Bytes of exposition parsed per event-loop turn across all scrapes, about
 * two milliseconds of work: a typical CNPG exposition (tens of KiB) goes
 * through in one turn, and a multi-megabyte one is spread over many.
 */
const PARSE_BYTES_PER_TURN = 256 * 1024;

export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface ScraperStartOptions {
  store: StoreReader;
  kubeConfig: KubeConfig;
  logger: Logger;
  scrapeVia: 'direct' | 'proxy';
  intervalMs: number;
  timeoutMs: number;
  /** Cap on the decompressed body; 4 MiB by default. */
  maxBodyBytes?: number;
  /** PEM bundle trusted for exporters serving HTTPS (`spec.monitoring.tls.enabled`). */
  caFile?: string;
  thresholds?: Partial<HealthThresholds>;
  now?: () => Date;
  /** Told about every exporter request: how long it took and, when it failed, why. */
  onScrape?: (observation: ScrapeObservation) => void;
}

/** One finished exporter request; `error` is the text the UI shows for a failure. */
export interface ScrapeObservation {
  durationMs: number;
  error?: string;
}

export interface RunningScraper {
  metrics: MetricsReader;
  stop(): Promise<void>;
  stats(): ScraperStats;
}

export function startScraper(options: ScraperStartOptions): RunningScraper {
  checkTiming(options);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const logger = options.logger.child({ component: 'scraper' });
  const cache = new MetricsCache({
    store: options.store,
    thresholds: resolveThresholds(options.thresholds),
    historySlots: historySlots(options.intervalMs),
    now: options.now ?? (() => new Date()),
  });
  const endpoints = new EndpointFactory({
    scrapeVia: options.scrapeVia,
    kubeConfig: options.kubeConfig,
    connectTimeoutMs: options.timeoutMs,
    ...(options.caFile === undefined ? {} : { caBundle: readFileSync(options.caFile) }),
  });
  const scraper = new Scraper({
    store: options.store,
    sink: cache,
    logger,
    scrapeVia: options.scrapeVia,
    intervalMs: options.intervalMs,
    limits: {
      timeoutMs: options.timeoutMs,
      maxBodyBytes,
      wanted: WANTED_METRICS,
      only: ONLY_SERIES,
      budget: new ParseBudget(PARSE_BYTES_PER_TURN),
    },
    endpoint: (spec) => endpoints.endpoint(spec),
    fetch: observedFetch(options.onScrape),
  });
  scraper.start();
  logger.info(
    {
      scrapeVia: options.scrapeVia,
      intervalMs: options.intervalMs,
      timeoutMs: options.timeoutMs,
      maxBodyBytes,
    },
    'scraper started',
  );

  return {
    metrics: cache,
    stats: () => scraper.stats(),
    async stop() {
      // Destroying the agents first ends requests still waiting on slow exporters.
      endpoints.close();
      await scraper.stop();
      logger.info('scraper stopped');
    },
  };
}

function observedFetch(onScrape: ScraperStartOptions['onScrape']): typeof fetchExposition {
  if (onScrape === undefined) return fetchExposition;
  return async (target, limits) => {
    const startedAt = performance.now();
    const outcome = await fetchExposition(target, limits);
    const durationMs = performance.now() - startedAt;
    onScrape(outcome.isOk ? { durationMs } : { durationMs, error: outcome.error });
    return outcome;
  };
}

function checkTiming(options: ScraperStartOptions): void {
  const { intervalMs, timeoutMs } = options;
  if (!(Number.isFinite(intervalMs) && intervalMs >= 1000)) {
    throw new Error('scrape interval must be at least 1s');
  }
  if (!(timeoutMs > 0 && timeoutMs < intervalMs)) {
    throw new Error('scrape timeout must be positive and shorter than the scrape interval');
  }
  if (options.maxBodyBytes !== undefined && !(options.maxBodyBytes > 0)) {
    throw new Error('scrape body cap must be positive');
  }
}

export type { MetricsReader, ScraperStats };
export { DEFAULT_THRESHOLDS } from './health';
