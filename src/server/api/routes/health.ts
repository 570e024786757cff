// Probes: `/healthz` answers while the process can, `/readyz` reflects the
// watch state (see readiness.ts) and turns 503 as soon as shutdown begins.
import type { FastifyInstance } from 'fastify';
import type { HealthzResponse } from '../../../contract/api';
import type { ApiDeps } from '../deps';
import { readiness } from '../readiness';

interface HealthRouteOptions {
  isStopping: () => boolean;
}

export function registerHealthRoutes(
  app: FastifyInstance,
  deps: ApiDeps,
  options: HealthRouteOptions,
): void {
  app.get('/healthz', async (): Promise<HealthzResponse> => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const { statusCode, body } = readiness({
      statuses: deps.store.kindStatuses(),
      now: deps.now(),
      isStopping: options.isStopping(),
    });
    return reply.code(statusCode).send(body);
  });
}
