// Sign-in and sign-out of the `token` mode: the user pastes a Kubernetes bearer
// token once; the server checks it with a TokenReview and answers with an
// HttpOnly, Secure, SameSite=Strict session cookie. The page never stores the
// token itself.
import type { KubeConfig } from '@kubernetes/client-node';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { HttpError } from '../api/errors';
import { sessionCookieName, readCookie, type Authenticator } from './authenticator';
import { reviewToken } from './reviews';
import type { SessionStore } from './sessions';

/** Longest token accepted; service account tokens are about 1 KiB, OIDC ones a few. */
const maxTokenLength = 16 * 1024;

function setSessionCookie(reply: FastifyReply, value: string, maxAgeSeconds: number): void {
  reply.header(
    'set-cookie',
    `${sessionCookieName}=${value}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=${maxAgeSeconds}`,
  );
}

export function registerSessionRoutes(
  app: FastifyInstance,
  options: {
    authenticator: Authenticator;
    sessions: SessionStore;
    kubeConfig: KubeConfig;
    logger: Logger;
    /** Lifetime of the cookie, matching the session's. */
    sessionTtlSeconds: number;
  },
): void {
  const { sessions, logger } = options;

  app.post('/api/session', { bodyLimit: maxTokenLength * 2 }, async (request, reply) => {
    const mediaType = (request.headers['content-type'] ?? '').split(';', 1)[0]?.trim();
    if (mediaType !== 'application/json') throw new HttpError(415, 'request body must be JSON');
    const body = request.body;
    const token =
      typeof body === 'object' && body !== null
        ? (body as Record<string, unknown>).token
        : undefined;
    if (typeof token !== 'string' || token.trim() === '')
      throw new HttpError(400, 'token is required');
    if (token.length > maxTokenLength) throw new HttpError(400, 'token is too long');

    let identity;
    try {
      identity = await reviewToken(options.kubeConfig, token.trim());
    } catch (error) {
      logger.warn({ err: error }, 'token review failed');
      throw new HttpError(503, 'token could not be checked, try again');
    }
    if (identity === undefined) throw new HttpError(401, 'token was not accepted');

    const id = sessions.create(identity, token.trim());
    setSessionCookie(reply, id, options.sessionTtlSeconds);
    logger.info({ audit: true, user: identity.name, groups: identity.groups }, 'signed in');
    return reply.code(201).send({ user: { name: identity.name, groups: identity.groups } });
  });

  app.get('/api/session', async (request) => {
    const identity = await options.authenticator.identify(request.raw);
    if (identity === undefined) throw new HttpError(401, 'authentication required');
    return { user: { name: identity.name, groups: identity.groups } };
  });

  app.delete('/api/session', async (request, reply) => {
    const id = readCookie(request.headers.cookie, sessionCookieName);
    if (id !== undefined) sessions.end(id);
    setSessionCookie(reply, '', 0);
    return reply.code(204).send();
  });
}
