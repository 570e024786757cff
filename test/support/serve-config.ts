// The server configuration integration tests start from: loopback on a free
// port, fast scrapes through the API server proxy, no logs, no web UI, and no
// shutdown drain. Tests override what they exercise.
import type { ServeConfig } from '../../src/server/config/serve-config';

export function testServeConfig(overrides: Partial<ServeConfig> = {}): ServeConfig {
  return {
    listen: { host: '127.0.0.1', port: 0 },
    namespaces: [],
    scrapeIntervalMs: 1_000,
    scrapeTimeoutMs: 500,
    scrapeVia: 'proxy',
    isReadOnly: false,
    restoreStuckAfterMs: 30 * 60_000,
    allowedOrigins: [],
    logLevel: 'silent',
    logFormat: 'json',
    webRoot: '/nonexistent-web-root',
    shutdownDrainMs: 0,
    thresholds: {},
    ...overrides,
  };
}
