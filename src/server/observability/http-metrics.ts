// Request latency by route pattern. Labels come from the route table, never
// from the request line, so a client cannot grow the series count by asking
// for made-up paths or putting names and addresses in the URL.
import type { FastifyInstance } from 'fastify';
import { Histogram, type Registry } from 'prom-client';

/** Route label of requests no route matched (404s, 405s and the web UI's files). */
export const unmatchedRoute = 'unmatched';

/** Methods kept as they are; anything else is counted as `other`. */
const knownMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Seconds; a cached list answers in well under a millisecond, a cold one in tens. */
const requestBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export type RequestHistogram = Histogram<'method' | 'route' | 'status_code'>;

export function requestHistogram(registry: Registry): RequestHistogram {
  return new Histogram({
    name: 'deckhand_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'],
    buckets: requestBuckets,
    registers: [registry],
  });
}

export function methodLabel(method: string): string {
  return knownMethods.has(method) ? method : 'other';
}

/** Times every response of the app, including errors sent from hooks and the not-found handler. */
export function instrumentRequests(app: FastifyInstance, histogram: RequestHistogram): void {
  app.addHook('onResponse', async (request, reply) => {
    histogram.observe(
      {
        method: methodLabel(request.method),
        route: request.routeOptions.url ?? unmatchedRoute,
        status_code: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
}
