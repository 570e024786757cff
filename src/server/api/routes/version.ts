// `GET /api`: the version document and what the caller may do (cluster-wide,
// or in the namespace asked for), so the UI can hide actions that would fail.
import type { FastifyInstance } from 'fastify';
import type { ApiVersionResponse } from '../../../contract/api';
import type { ApiDeps } from '../deps';
import { parseNamespaceQuery } from '../validation';

/** Version of the API surface, as the contract names it. */
export const apiVersion = '0.1.0';

export function registerVersionRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/api', async (request): Promise<ApiVersionResponse> => {
    const namespace = parseNamespaceQuery(request.query);
    if (deps.describeCaller !== undefined) {
      return { version: apiVersion, ...(await deps.describeCaller(request.raw, namespace)) };
    }
    const canWrite = !deps.isReadOnly;
    return {
      version: apiVersion,
      auth: 'none',
      permissions: { readOnly: deps.isReadOnly, canCreateBackups: canWrite, canRestore: canWrite },
    };
  });
}
