// Wires the server together: kubeconfig → store → reflectors → scraper → HTTP
// app → listener → WebSocket hub, and takes it apart again in reverse order.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KubeConfig } from '@kubernetes/client-node';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp, type RouteModule } from './api/app';
import { startAuth } from './auth/index';
import { registerActionRoutes } from './api/routes/actions';
import { registerMetricsRoutes } from './api/routes/metrics';
import type { ServeConfig } from './config/serve-config';
import { Hub, type HubLimits } from './hub/hub';
import { loadKubeConfig } from './kube/config';
import { startReflectors } from './kube/informers';
import { createLogger } from './logging';
import { startScraper } from './metrics/index';
import { Observability } from './observability/observability';
import { Store } from './store/store';

export interface StartServerOptions {
  /** Use this kubeconfig instead of loading one from the configuration. */
  kubeConfig?: KubeConfig;
  logger?: Logger;
  /** Hub timings (tests shorten them). */
  hubLimits?: Partial<HubLimits>;
  /** Route modules added after the built-in ones. */
  routeModules?: RouteModule[];
}

export interface RunningServer {
  /** `http://host:port/` as bound (the real port when 0 was asked for). */
  url: string;
  port: number;
  app: FastifyInstance;
  store: Store;
  hub: Hub;
  /**
   * Stops in order: readiness and new requests answer 503 and sockets get
   * 1001 at once; after `drainMs` the listener closes, then watches and
   * scrapes stop. Calling it again returns the same promise.
   */
  close(options?: { drainMs?: number }): Promise<void>;
}

/** dist/web next to the bundle (dist/server/main.js), or under the repository in development. */
export function defaultWebRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const isBundled = here.endsWith(join('dist', 'server'));
  return isBundled ? join(here, '..', 'web') : join(here, '..', '..', 'dist', 'web');
}

function urlOf(host: string, port: number): string {
  const shown = host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}/`;
}

/** Store, reflectors and scraper: everything that runs whether or not anyone is connected. */
function startBackground(options: {
  config: ServeConfig;
  kubeConfig: KubeConfig;
  logger: Logger;
  observability: Observability;
}) {
  const { config, kubeConfig, logger, observability } = options;
  const store = new Store({ logger: logger.child({ component: 'store' }) });
  const reflectors = startReflectors({
    kubeConfig,
    store,
    logger: logger.child({ component: 'watch' }),
    namespaces: config.namespaces,
  });
  observability.watchReflectors(() => reflectors.counters());
  const scraper = startScraper({
    store,
    kubeConfig,
    logger,
    scrapeVia: config.scrapeVia,
    intervalMs: config.scrapeIntervalMs,
    timeoutMs: config.scrapeTimeoutMs,
    ...(config.metricsCaFile === undefined ? {} : { caFile: config.metricsCaFile }),
    thresholds: config.thresholds,
    onScrape: observability.observeScrape,
  });
  const stop = async () => {
    await Promise.allSettled([scraper.stop(), reflectors.stop()]);
  };
  return { store, metrics: scraper.metrics, stop };
}

export async function startServer(
  config: ServeConfig,
  options: StartServerOptions = {},
): Promise<RunningServer> {
  const logger =
    options.logger ??
    createLogger({
      level: config.logLevel,
      format: config.logFormat,
      isColored: process.stdout.isTTY,
    });
  const kubeConfig =
    options.kubeConfig ??
    loadKubeConfig({ kubeconfig: config.kubeconfig, context: config.context });
  const observability = new Observability();
  const background = startBackground({ config, kubeConfig, logger, observability });
  const { store, metrics } = background;

  const auth = startAuth({
    config: config.auth,
    kubeConfig,
    logger,
    isReadOnly: config.isReadOnly,
    allowedOrigins: config.allowedOrigins,
  });

  let isStopping = false;
  let app: FastifyInstance;
  try {
    app = await buildApp(
      {
        store,
        metrics,
        kubeConfig,
        logger: logger.child({ component: 'api' }),
        isReadOnly: config.isReadOnly,
        now: () => new Date(),
        describeCaller: auth.describeCaller,
      },
      {
        webRoot: config.webRoot ?? defaultWebRoot(),
        isStopping: () => isStopping,
        auth: auth.plugin,
        routeModules: [
          observability.routes,
          registerMetricsRoutes,
          (instance, routeDeps) =>
            registerActionRoutes(instance, routeDeps, {
              restoreStatus: { stuckAfterMs: config.restoreStuckAfterMs },
            }),
          ...(options.routeModules ?? []),
        ],
      },
    );
    await app.listen({ host: config.listen.host, port: config.listen.port });
  } catch (error) {
    auth.stop();
    await background.stop();
    throw error;
  }

  const hub = new Hub({
    store,
    metrics,
    logger: logger.child({ component: 'hub' }),
    allowedOrigins: config.allowedOrigins,
    ...(auth.isAuthenticated === undefined ? {} : { isAuthenticated: auth.isAuthenticated }),
    sessionOf: auth.sessionOf,
    ...(options.hubLimits === undefined ? {} : { limits: options.hubLimits }),
  });
  hub.attach(app.server);
  auth.onSessionEnd((sessionId) => hub.endSession(sessionId));
  observability.watchHub(hub);

  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.listen.port;
  const url = urlOf(config.listen.host, port);
  logger.info(
    { url, readOnly: config.isReadOnly, scrapeVia: config.scrapeVia },
    'deckhand listening',
  );

  let closing: Promise<void> | undefined;
  const close = (closeOptions: { drainMs?: number } = {}) => {
    closing ??= (async () => {
      isStopping = true;
      logger.info({ drainMs: closeOptions.drainMs ?? 0 }, 'shutting down');
      await hub.close();
      await new Promise((resolve) => setTimeout(resolve, closeOptions.drainMs ?? 0));
      await app.close();
      auth.stop();
      await background.stop();
      logger.info('stopped');
    })();
    return closing;
  };

  return { url, port, app, store, hub, close };
}
