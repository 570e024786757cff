// Starts the authentication side of the server from its configuration: the
// authenticator, the sign-in sessions with their periodic token re-checks, the
// hourly reminder when nobody has to sign in, and what `GET /api` says about
// the caller.
import type { IncomingMessage } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { ApiVersionResponse } from '../../contract/api';
import type { AuthConfig } from '../config/serve-config';
import { Authenticator, readCookie, sessionCookieName } from './authenticator';
import { parseCidrs } from './cidr';
import { permissionsFor, type AuthPluginOptions } from './plugin';
import { reviewToken } from './reviews';
import { SessionStore } from './sessions';

/** How often tokens behind sessions are reviewed again. */
const recheckMs = 5 * 60_000;
const unauthenticatedReminderMs = 3600_000;

export interface RunningAuth {
  authenticator: Authenticator;
  plugin: AuthPluginOptions;
  describeCaller: (
    request: IncomingMessage,
    namespace?: string,
  ) => Promise<Pick<ApiVersionResponse, 'auth' | 'user' | 'permissions'>>;
  /** For the WebSocket upgrade; undefined in `none` mode, where nobody signs in. */
  isAuthenticated?: (request: IncomingMessage) => Promise<boolean>;
  /** The session id of a request (token mode). */
  sessionOf: (request: IncomingMessage) => string | undefined;
  /** Calls back when a session ends; returns the unsubscribe function. */
  onSessionEnd: (listener: (sessionId: string) => void) => () => void;
  stop(): void;
}

export function startAuth(options: {
  config: AuthConfig | undefined;
  kubeConfig: KubeConfig;
  logger: Logger;
  isReadOnly: boolean;
  allowedOrigins: readonly string[];
}): RunningAuth {
  const config = options.config ?? {
    mode: 'none',
    trustedProxyCidrs: [],
    userHeader: 'X-Forwarded-User',
    groupsHeader: 'X-Forwarded-Groups',
    sessionTtlMs: 8 * 3600_000,
  };
  const logger = options.logger.child({ component: 'auth' });
  const sessions =
    config.mode === 'token'
      ? new SessionStore({ ttlMs: config.sessionTtlMs, recheckMs })
      : undefined;
  const authenticator = new Authenticator({
    mode: config.mode,
    kubeConfig: options.kubeConfig,
    logger,
    trustedProxies: parseCidrs(config.trustedProxyCidrs),
    userHeader: config.userHeader,
    groupsHeader: config.groupsHeader,
    ...(sessions === undefined ? {} : { sessions }),
  });

  const timers = [
    ...(sessions === undefined ? [] : [setInterval(() => void recheck(sessions), 60_000)]),
    ...(config.mode === 'none'
      ? [setInterval(() => warnUnauthenticated(logger), unauthenticatedReminderMs)]
      : []),
  ];
  for (const timer of timers) timer.unref();
  if (config.mode === 'none') warnUnauthenticated(logger);

  async function recheck(store: SessionStore): Promise<void> {
    store.sweep();
    for (const { id, token } of store.dueForRecheck()) {
      try {
        const identity = await reviewToken(options.kubeConfig, token);
        if (identity === undefined) {
          logger.info('session ended: its token is no longer accepted');
          store.end(id);
        } else {
          store.markChecked(id);
        }
      } catch (error) {
        // The API server did not answer: keep the session and try again next round.
        logger.warn({ err: error }, 'token re-check failed');
      }
    }
  }

  return {
    authenticator,
    plugin: {
      authenticator,
      kubeConfig: options.kubeConfig,
      logger,
      isReadOnly: options.isReadOnly,
      allowedOrigins: new Set(options.allowedOrigins),
      sessionTtlSeconds: Math.floor(config.sessionTtlMs / 1000),
    },
    describeCaller: async (request, namespace) => {
      const identity = await authenticator.identify(request);
      const permissions = await permissionsFor({
        identity,
        authenticator,
        kubeConfig: options.kubeConfig,
        isReadOnly: options.isReadOnly,
        logger,
        namespace,
      });
      return {
        auth: config.mode,
        ...(identity === undefined
          ? {}
          : { user: { name: identity.name, groups: identity.groups } }),
        permissions,
      };
    },
    ...(config.mode === 'none'
      ? {}
      : {
          isAuthenticated: async (request) => (await authenticator.identify(request)) !== undefined,
        }),
    sessionOf: (request) =>
      sessions === undefined ? undefined : readCookie(request.headers.cookie, sessionCookieName),
    onSessionEnd: (listener) => sessions?.onEnd(listener) ?? (() => undefined),
    stop: () => {
      for (const timer of timers) clearInterval(timer);
    },
  };
}

function warnUnauthenticated(logger: Logger): void {
  logger.warn(
    'authentication is off (--auth=none): anyone who reaches this port acts with the service account',
  );
}
