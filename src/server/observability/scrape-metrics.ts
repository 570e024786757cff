// Exporter scrapes: how long each request took and why failures failed. The
// failure texts come from metrics/fetch.ts and metrics/errors.ts; only a fixed
// class of each reaches a label, never the text itself (it names the pod).
import { Counter, Histogram, type Registry } from 'prom-client';
import type { ScrapeObservation } from '../metrics/index';

export const scrapeFailureReasons = [
  'timeout',
  'refused',
  'too_large',
  'malformed',
  'http_status',
  'other',
] as const;

export type ScrapeFailureReason = (typeof scrapeFailureReasons)[number];

/**
 * Matched against the part after `<url>: `; pod and namespace names cannot
 * contain a space, so a name never matches one of these by accident.
 */
const reasonPatterns: readonly (readonly [RegExp, ScrapeFailureReason])[] = [
  [/: (timed out after |connection timed out)/, 'timeout'],
  [/: connection refused/, 'refused'],
  [/: body larger than /, 'too_large'],
  [
    /: (malformed exposition|invalid gzip body|invalid HTTP response|unsupported content)/,
    'malformed',
  ],
  [/: HTTP \d{3}/, 'http_status'],
];

export function scrapeFailureReason(error: string): ScrapeFailureReason {
  for (const [pattern, reason] of reasonPatterns) if (pattern.test(error)) return reason;
  return 'other';
}

/** Seconds; the default timeout is 5 s and `--scrape-timeout` may raise it. */
const scrapeBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class ScrapeMetrics {
  private readonly duration: Histogram<'result'>;
  private readonly failures: Counter<'reason'>;

  constructor(registry: Registry) {
    this.duration = new Histogram({
      name: 'deckhand_scrape_duration_seconds',
      help: 'Time of each exporter request, by result (success or failure).',
      labelNames: ['result'],
      buckets: scrapeBuckets,
      registers: [registry],
    });
    this.failures = new Counter({
      name: 'deckhand_scrape_failures_total',
      help: 'Failed exporter requests, by reason class.',
      labelNames: ['reason'],
      registers: [registry],
    });
    // Every reason is present from the start, so rate() sees the first failure.
    for (const reason of scrapeFailureReasons) this.failures.inc({ reason }, 0);
  }

  observe(observation: ScrapeObservation): void {
    const seconds = observation.durationMs / 1000;
    if (observation.error === undefined) {
      this.duration.observe({ result: 'success' }, seconds);
      return;
    }
    this.duration.observe({ result: 'failure' }, seconds);
    this.failures.inc({ reason: scrapeFailureReason(observation.error) });
  }
}
