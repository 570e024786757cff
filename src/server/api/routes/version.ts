// `GET /api`: the version document and what the caller may do. Deckhand has no
// authentication of its own; permissions follow `--read-only`.
import type { FastifyInstance } from 'fastify';
import type { ApiVersionResponse } from '../../../contract/api';
import type { ApiDeps } from '../deps';

/** Version of the API surface, as the contract names it. */
export const apiVersion = '0.1.0';

export function registerVersionRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/api', async (): Promise<ApiVersionResponse> => {
    const canWrite = !deps.isReadOnly;
    return {
      version: apiVersion,
      auth: 'none',
      permissions: { readOnly: deps.isReadOnly, canCreateBackups: canWrite, canRestore: canWrite },
    };
  });
}
