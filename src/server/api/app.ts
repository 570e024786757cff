// Builds the Fastify instance: limits, hooks, error handling and every route
// module. Listening, the WebSocket hub and shutdown are the caller's (index.ts).
import Fastify, { type FastifyInstance } from 'fastify';
import { ResponseCache } from './cache';
import type { ApiDeps } from './deps';
import {
  HttpError,
  ServiceUnavailableError,
  clientErrorHandler,
  installErrorHandlers,
  sendError,
} from './errors';
import { setSecurityHeaders } from './headers';
import { registerClusterRoutes } from './routes/clusters';
import { registerHealthRoutes } from './routes/health';
import { registerVersionRoutes } from './routes/version';
import { createStaticHandler } from './static';
import { registerAuth, type AuthPluginOptions } from '../auth/plugin';

/** A module that adds routes, such as the metrics or actions routes. */
export type RouteModule = (app: FastifyInstance, deps: ApiDeps) => void | Promise<void>;

export interface AppOptions {
  /** Folder of the built web UI (dist/web); a placeholder page is served when it is missing. */
  webRoot: string;
  /** True once shutdown began: new requests get 503 and readiness fails. */
  isStopping?: () => boolean;
  /** Further route modules, registered after the read routes. */
  routeModules?: RouteModule[];
  /** Authentication and authorization hooks; without them every caller is anonymous. */
  auth?: AuthPluginOptions;
}

/** Longest request URL accepted; longer ones get 414. */
export const maxUrlLength = 8192;
/** Largest request body accepted (restore and backup bodies are a few hundred bytes). */
export const bodyLimitBytes = 64 * 1024;

/** Paths that answer while shutting down, so probes see the 503 with a reason. */
const probePaths = new Set(['/readyz', '/healthz']);

export async function buildApp(deps: ApiDeps, options: AppOptions): Promise<FastifyInstance> {
  const isStopping = options.isStopping ?? (() => false);
  const app = Fastify({
    // No per-request log lines: the error handler logs failures through deps.logger.
    logger: false,
    bodyLimit: bodyLimitBytes,
    // Names may be 253 characters; longer parameters still reach validation and get a 400.
    routerOptions: { maxParamLength: 1024, ignoreTrailingSlash: true },
    return503OnClosing: false,
    clientErrorHandler,
  });

  installErrorHandlers(app, { logger: deps.logger, onUnmatched: createStaticHandler(options) });

  app.addHook('onRequest', async (request, reply) => {
    setSecurityHeaders(request, reply);
    if (request.url.length > maxUrlLength) {
      return sendError(reply, new HttpError(414, 'request URL is too long'));
    }
    if (isStopping() && !probePaths.has(request.url.split('?', 1)[0] ?? '')) {
      reply.header('connection', 'close');
      return sendError(reply, new ServiceUnavailableError('server is shutting down'));
    }
    return undefined;
  });

  if (options.auth !== undefined) registerAuth(app, options.auth);

  const cache = new ResponseCache();
  registerHealthRoutes(app, deps, { isStopping });
  registerVersionRoutes(app, deps);
  registerClusterRoutes(app, deps, { cache });
  for (const register of options.routeModules ?? []) await register(app, deps);

  await app.ready();
  return app;
}
