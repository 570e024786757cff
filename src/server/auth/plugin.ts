// The HTTP side of authentication and authorization: who is asking (every
// route but the probes and the page's static files needs an identity outside
// `none` mode), whether a cross-site page is trying to act (mutations need a
// same-origin Origin), whether the person may do what they ask (a
// SubjectAccessReview per mutation), and an audit line for each mutation.
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { ApiPermissions } from '../../contract/api';
import { HttpError, sendError } from '../api/errors';
import { normalizeOrigin } from '../hub/admission';
import { checksFor, mutationOf, refusalText, type Mutation } from './access';
import type { Authenticator } from './authenticator';
import { reviewAccess } from './reviews';
import { registerSessionRoutes } from './session-routes';
import type { Identity } from './types';

const identities = new WeakMap<IncomingMessage, Identity>();
const mutations = new WeakMap<IncomingMessage, Mutation>();

/** The identity the auth hook found for a request, if any. */
export function identityOf(request: IncomingMessage): Identity | undefined {
  return identities.get(request);
}

export interface AuthPluginOptions {
  authenticator: Authenticator;
  kubeConfig: KubeConfig;
  logger: Logger;
  isReadOnly: boolean;
  /** Origins besides the page's own that may send mutations. */
  allowedOrigins: ReadonlySet<string>;
  /** Lifetime of a sign-in session, in seconds. */
  sessionTtlSeconds?: number;
}

/** Paths anyone may reach: the probes, and the page itself (it shows the sign-in form). */
function isPublic(method: string, path: string): boolean {
  if (path === '/healthz' || path === '/readyz') return true;
  // Signing in needs no identity, and signing out must clear the cookie even
  // when the session already expired.
  if (path === '/api/session' && (method === 'POST' || method === 'DELETE')) return true;
  return !path.startsWith('/api') && path !== '/ws' && path !== '/metrics';
}

function pathOf(request: FastifyRequest): string {
  return request.url.split('?', 1)[0] ?? request.url;
}

/** Installs the hooks; call before any route is registered. */
export function registerAuth(app: FastifyInstance, options: AuthPluginOptions): void {
  const { authenticator } = options;

  app.addHook('onRequest', async (request, reply) => {
    if (isMutatingMethod(request.method) && !isSameOrigin(request, options.allowedOrigins)) {
      return sendError(reply, new HttpError(403, 'cross-origin request refused'));
    }
    const identity = await authenticator.identify(request.raw);
    if (identity !== undefined) identities.set(request.raw, identity);
    if (authenticator.mode === 'none' || isPublic(request.method, pathOf(request)))
      return undefined;
    if (identity === undefined) {
      // Tells the page which sign-in to offer: a token form, or the proxy's own.
      reply.header('x-deckhand-auth', authenticator.mode);
      return sendError(reply, new HttpError(401, 'authentication required'));
    }
    return undefined;
  });

  app.addHook('preHandler', async (request, reply) => {
    const mutation = mutationOf({
      method: request.method,
      path: pathOf(request),
      body: request.body,
    });
    if (mutation === undefined) return undefined;
    mutations.set(request.raw, mutation);

    const identity = identities.get(request.raw);
    if (authenticator.mode === 'none' || identity === undefined) return undefined;
    return authorize({ reply, identity, mutation, options });
  });

  // Refusals before the body was read (401, a cross-site 403, 415, read-only)
  // are audited too: the mutation is then known from the path alone.
  app.addHook('onResponse', async (request, reply) => {
    const mutation =
      mutations.get(request.raw) ??
      mutationOf({ method: request.method, path: pathOf(request), body: request.body });
    if (mutation === undefined) return;
    writeAudit({ logger: options.logger, request, reply, mutation });
  });

  if (authenticator.mode === 'token' && authenticator.sessions !== undefined) {
    registerSessionRoutes(app, {
      authenticator,
      sessions: authenticator.sessions,
      kubeConfig: options.kubeConfig,
      logger: options.logger,
      sessionTtlSeconds: options.sessionTtlSeconds ?? 8 * 3600,
    });
  }
}

async function authorize(input: {
  reply: FastifyReply;
  identity: Identity;
  mutation: Mutation;
  options: AuthPluginOptions;
}): Promise<FastifyReply | undefined> {
  const { reply, identity, mutation, options } = input;
  let isAllowed: boolean;
  try {
    isAllowed = await reviewAccess(options.kubeConfig, identity, checksFor(mutation));
  } catch (error) {
    options.logger.warn({ err: error }, 'access review failed');
    return sendError(reply, new HttpError(503, 'permission check failed, try again'));
  }
  if (isAllowed) return undefined;
  return sendError(reply, new HttpError(403, refusalText(identity.name, mutation)));
}

function writeAudit(input: {
  logger: Logger;
  request: FastifyRequest;
  reply: FastifyReply;
  mutation: Mutation;
}): void {
  const { request, reply, mutation } = input;
  const identity = identities.get(request.raw);
  const isDryRun = /[?&]dryRun=true(&|$)/.test(request.url);
  input.logger.info(
    {
      audit: true,
      user: identity?.name ?? 'anonymous',
      groups: identity?.groups ?? [],
      ...mutation,
      dryRun: isDryRun,
      statusCode: reply.statusCode,
      outcome: reply.statusCode < 300 ? 'accepted' : 'refused',
    },
    'mutation',
  );
}

function isMutatingMethod(method: string): boolean {
  return method === 'POST' || method === 'PUT' || method === 'PATCH' || method === 'DELETE';
}

/**
 * Browsers send Origin on every cross-site POST; a request without one does
 * not come from another site's page (curl, automation), so it is let through
 * to authentication like any other.
 */
function isSameOrigin(request: FastifyRequest, allowedOrigins: ReadonlySet<string>): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  const normalized = normalizeOrigin(origin);
  if (normalized === undefined) return false;
  const host = request.headers.host?.toLowerCase();
  return new URL(normalized).host === host || allowedOrigins.has(normalized);
}

/**
 * What the caller may do, for `GET /api`: in `namespace` when one is given,
 * else cluster-wide (where a user allowed in some namespaces only gets no).
 */
export async function permissionsFor(input: {
  identity: Identity | undefined;
  authenticator: Authenticator;
  kubeConfig: KubeConfig;
  isReadOnly: boolean;
  logger: Logger;
  namespace?: string | undefined;
}): Promise<ApiPermissions> {
  const { identity, isReadOnly, namespace } = input;
  if (isReadOnly) return { readOnly: true, canCreateBackups: false, canRestore: false };
  if (input.authenticator.mode === 'none') {
    return { readOnly: false, canCreateBackups: true, canRestore: true };
  }
  if (identity === undefined)
    return { readOnly: false, canCreateBackups: false, canRestore: false };
  try {
    // These answers only hide buttons; the review of each request remains
    // the real gate. A restore is judged as one into the same namespace.
    const scope = namespace === undefined ? {} : { namespace };
    const cnpg = 'postgresql.cnpg.io';
    const [canCreateBackups, canRestore] = await Promise.all([
      reviewAccess(input.kubeConfig, identity, [
        { verb: 'create', group: cnpg, resource: 'backups', ...scope },
      ]),
      reviewAccess(input.kubeConfig, identity, [
        { verb: 'create', group: cnpg, resource: 'clusters', ...scope },
        { verb: 'get', group: cnpg, resource: 'backups', ...scope },
      ]),
    ]);
    return { readOnly: false, canCreateBackups, canRestore };
  } catch (error) {
    input.logger.warn({ err: error }, 'access review failed');
    return { readOnly: false, canCreateBackups: false, canRestore: false };
  }
}
