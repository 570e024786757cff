// Write routes: on-demand backups and restores, plus the restore form's
// inputs and a restore's progress. Handlers call into src/server/actions and
// turn its ActionErrors into the API's typed errors; the error handler in
// errors.ts writes every error body.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createBackup } from '../../actions/backup';
import { ActionError } from '../../actions/errors';
import { restoreOptions } from '../../actions/restore-options';
import { createRestore } from '../../actions/restore';
import { parseDryRun } from '../../actions/restore-request';
import { restoreStatusResponse } from '../../actions/restore-status-response';
import {
  defaultRestoreStatusOptions,
  type RestoreStatusOptions,
} from '../../actions/restore-status';
import type { ApiDeps } from '../deps';
import { BadRequestError, HttpError, ServiceUnavailableError } from '../errors';
import { parseClusterParams } from '../validation';

/** Largest backup or restore body accepted; real ones are a few hundred bytes. */
export const actionBodyLimitBytes = 16 * 1024;

export interface ActionRouteOptions {
  /** How long a restore may sit in one phase before its status calls it stuck. */
  restoreStatus?: RestoreStatusOptions;
}

function toHttpError(error: unknown, reply: FastifyReply): unknown {
  if (!(error instanceof ActionError)) return error;
  if (error.retryAfterSeconds !== undefined) {
    reply.header('retry-after', String(error.retryAfterSeconds));
  }
  return new HttpError(error.statusCode, error.message);
}

/** Runs an action, translating its refusals for the error handler. */
async function run<T>(reply: FastifyReply, action: () => T | Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw toHttpError(error, reply);
  }
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return (
    (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined
  );
}

function isJsonMediaType(contentType: string | undefined): boolean {
  const mediaType = (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase();
  return mediaType === 'application/json';
}

/**
 * Refuses writes before the body is read: read-only mode first, then any
 * body that is not JSON (Fastify would otherwise accept text/plain too).
 */
function writeGuard(deps: ApiDeps, disabledText: string) {
  return async (request: FastifyRequest): Promise<void> => {
    if (deps.isReadOnly) throw new ServiceUnavailableError(disabledText);
    if (hasBody(request) && !isJsonMediaType(request.headers['content-type'])) {
      throw new HttpError(415, 'request body must be application/json');
    }
  };
}

function dryRunQuery(request: FastifyRequest): unknown {
  const query = request.query;
  if (typeof query !== 'object' || query === null || !('dryRun' in query)) return undefined;
  if (Array.isArray(query.dryRun)) throw new BadRequestError('dryRun may be given only once');
  return query.dryRun;
}

export function registerActionRoutes(
  app: FastifyInstance,
  deps: ApiDeps,
  options: ActionRouteOptions = {},
): void {
  const statusOptions = options.restoreStatus ?? defaultRestoreStatusOptions;
  const writeOptions = { bodyLimit: actionBodyLimitBytes };

  app.post(
    '/api/clusters/:namespace/:name/backups',
    { ...writeOptions, onRequest: writeGuard(deps, 'backup creation is not configured') },
    async (request, reply) => {
      const { namespace, name } = parseClusterParams(request.params);
      const body = await run(reply, () =>
        createBackup(deps, { namespace, name, body: request.body }),
      );
      return reply.code(201).send(body);
    },
  );

  app.get('/api/clusters/:namespace/:name/restore', async (request, reply) => {
    const key = parseClusterParams(request.params);
    return run(reply, () => restoreOptions(deps.store, key));
  });

  app.post(
    '/api/clusters/:namespace/:name/restore',
    { ...writeOptions, onRequest: writeGuard(deps, 'restore creation is not configured') },
    async (request, reply) => {
      const { namespace, name } = parseClusterParams(request.params);
      const body = await run(reply, () => {
        const isDryRun = parseDryRun(dryRunQuery(request));
        return createRestore(deps, { namespace, name, body: request.body, isDryRun });
      });
      return reply.code(body.dryRun === true ? 200 : 201).send(body);
    },
  );

  app.get('/api/clusters/:namespace/:name/restore-status', async (request, reply) => {
    const key = parseClusterParams(request.params);
    return run(reply, () =>
      restoreStatusResponse({ store: deps.store, key, now: deps.now(), statusOptions }),
    );
  });
}
