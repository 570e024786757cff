// The flags of `deckhand serve` (DESIGN.md "Commands") and the checked
// configuration they produce. Cross-flag rules (timeout below interval,
// warning below critical) are checked here so a bad combination stops the
// command before anything connects.
import { existsSync } from 'node:fs';
import type { HealthThresholds } from '../../contract/api';
import {
  ConfigError,
  flagHelp,
  parseFlags,
  type FlagSpec,
  type FlagTable,
  type FlagValues,
} from './flags';
import {
  boolean,
  commaList,
  duration,
  listenAddress,
  nonEmpty,
  numberIn,
  oneOf,
  type ListenAddress,
} from './values';
import { dnsLabelProblem } from '../api/validation';
import { normalizeOrigin } from '../hub/admission';
import { parseCidrs } from '../auth/cidr';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function spec<Out>(value: FlagSpec<Out>): FlagSpec<Out> {
  return value;
}

const ratio = numberIn({ min: 0, max: 1 });

/** Flags of `deckhand serve`; `deckhand demo` takes them too. */
export const serveFlags = {
  kubeconfig: spec({
    schema: nonEmpty,
    valueName: 'path',
    help: 'kubeconfig file (else $KUBECONFIG, ~/.kube/config or the pod service account)',
  }),
  context: spec({ schema: nonEmpty, valueName: 'name', help: 'kubeconfig context to use' }),
  listen: spec({
    schema: listenAddress,
    valueName: 'host:port',
    defaultValue: '127.0.0.1:8080',
    help: 'address of the web UI and API',
  }),
  namespaces: spec({
    schema: commaList,
    valueName: 'a,b',
    help: 'watch only these namespaces (default all)',
  }),
  'scrape-interval': spec({
    schema: duration,
    valueName: 'duration',
    defaultValue: '30s',
    help: 'how often each instance is scraped',
  }),
  'scrape-timeout': spec({
    schema: duration,
    valueName: 'duration',
    defaultValue: '5s',
    help: 'deadline of one scrape, below the interval',
  }),
  'scrape-via': spec({
    schema: oneOf(['direct', 'proxy']),
    valueName: 'direct|proxy',
    help: 'reach exporters by pod IP or through the API server proxy (default direct in a pod, proxy elsewhere)',
  }),
  'metrics-ca-file': spec({
    schema: nonEmpty,
    valueName: 'path',
    help: 'PEM bundle trusted for exporters serving HTTPS',
  }),
  'read-only': spec({ schema: boolean, isSwitch: true, help: 'refuse backups and restores' }),
  'restore-stuck-after': spec({
    schema: duration,
    valueName: 'duration',
    defaultValue: '30m',
    help: 'time a restore may spend in one phase before its status says it looks stuck',
  }),
  auth: spec({
    schema: oneOf(['none', 'proxy', 'token']),
    valueName: 'none|proxy|token',
    defaultValue: 'none',
    help: 'how users are identified: none, proxy (headers of an authenticating proxy) or token (Kubernetes bearer token sign-in)',
  }),
  'allow-unauthenticated': spec({
    schema: boolean,
    isSwitch: true,
    help: 'with --auth=none, allow listening on a non-loopback address',
  }),
  'trusted-proxy-cidrs': spec({
    schema: commaList,
    valueName: 'cidrs',
    help: 'source addresses whose identity headers are believed (required with --auth=proxy)',
  }),
  'auth-user-header': spec({
    schema: nonEmpty,
    valueName: 'name',
    defaultValue: 'X-Forwarded-User',
    help: 'with --auth=proxy, the header carrying the user name',
  }),
  'auth-groups-header': spec({
    schema: nonEmpty,
    valueName: 'name',
    defaultValue: 'X-Forwarded-Groups',
    help: 'with --auth=proxy, the header carrying comma-separated groups',
  }),
  'session-ttl': spec({
    schema: duration,
    valueName: 'duration',
    defaultValue: '8h',
    help: 'with --auth=token, how long a sign-in lasts',
  }),
  'allowed-origins': spec({
    schema: commaList,
    valueName: 'origins',
    help: 'further origins allowed to open the WebSocket, comma separated',
  }),
  'log-level': spec({
    schema: oneOf(logLevels),
    valueName: 'level',
    defaultValue: 'info',
    help: logLevels.join(', '),
  }),
  'log-format': spec({
    schema: oneOf(['json', 'pretty']),
    valueName: 'json|pretty',
    help: 'log format (default pretty on a terminal, json otherwise)',
  }),
  'shutdown-drain': spec({
    schema: duration,
    valueName: 'duration',
    defaultValue: '2s',
    help: 'after SIGTERM, how long /readyz reports stopping before the listener closes',
  }),
  'web-root': spec({
    schema: nonEmpty,
    valueName: 'path',
    help: 'folder of the built web UI (default dist/web)',
  }),
  'replication-lag-warning': spec({
    schema: duration,
    valueName: 'duration',
    help: 'replication lag that makes an instance warning (default 10s)',
  }),
  'replication-lag-critical': spec({
    schema: duration,
    valueName: 'duration',
    help: 'replication lag that makes an instance critical (default 30s)',
  }),
  'connections-warning-ratio': spec({
    schema: ratio,
    valueName: '0..1',
    help: 'share of max_connections that is warning (default 0.8)',
  }),
  'connections-critical-ratio': spec({
    schema: ratio,
    valueName: '0..1',
    help: 'share of max_connections that is critical (default 0.9)',
  }),
  'disk-warning-ratio': spec({
    schema: ratio,
    valueName: '0..1',
    help: 'share of the data volume that is warning (default 0.8)',
  }),
  'disk-critical-ratio': spec({
    schema: ratio,
    valueName: '0..1',
    help: 'share of the data volume that is critical (default 0.9)',
  }),
  help: spec({ schema: boolean, isSwitch: true, isArgvOnly: true, help: 'show this help' }),
} satisfies FlagTable;

export type LogLevel = (typeof logLevels)[number];

/** The checked configuration of the server. */
export interface ServeConfig {
  kubeconfig?: string;
  context?: string;
  listen: ListenAddress;
  /** Namespaces to watch; empty means all. */
  namespaces: string[];
  scrapeIntervalMs: number;
  scrapeTimeoutMs: number;
  scrapeVia: 'direct' | 'proxy';
  metricsCaFile?: string;
  isReadOnly: boolean;
  /** Time in one restore phase after which the restore status calls it stuck. */
  restoreStuckAfterMs: number;
  allowedOrigins: string[];
  logLevel: LogLevel;
  logFormat: 'json' | 'pretty';
  webRoot?: string;
  /** After SIGTERM, time during which probes see `stopping` before the listener closes. */
  shutdownDrainMs: number;
  thresholds: Partial<HealthThresholds>;
  /** Authentication; `none` when absent. */
  auth?: AuthConfig;
}

/** How requests are authenticated (see docs/security.md). */
export interface AuthConfig {
  mode: 'none' | 'proxy' | 'token';
  /** Proxy mode: sources whose identity headers are believed. */
  trustedProxyCidrs: string[];
  userHeader: string;
  groupsHeader: string;
  /** Token mode: lifetime of a sign-in session. */
  sessionTtlMs: number;
}

/** Facts about the process that decide some defaults. */
export interface Surroundings {
  env: NodeJS.ProcessEnv;
  /** stdout is a terminal: logs default to pretty. */
  isTTY: boolean;
  fileExists?: (path: string) => boolean;
}

const serviceAccountToken = '/var/run/secrets/kubernetes.io/serviceaccount/token';

function isInPod(surroundings: Surroundings): boolean {
  const fileExists = surroundings.fileExists ?? existsSync;
  return surroundings.env.KUBERNETES_SERVICE_HOST !== undefined && fileExists(serviceAccountToken);
}

function checkNamespaces(namespaces: string[]): void {
  for (const namespace of namespaces) {
    const problem = dnsLabelProblem(namespace);
    if (problem !== undefined) throw new ConfigError(`--namespaces: "${namespace}" ${problem}`);
  }
}

function checkOrigins(origins: string[]): string[] {
  return origins.map((origin) => {
    const normalized = normalizeOrigin(origin);
    if (normalized === undefined) {
      throw new ConfigError(
        `--allowed-origins: "${origin}" is not an http(s) origin such as https://deckhand.example.com`,
      );
    }
    return normalized;
  });
}

function thresholdsOf(values: FlagValues<typeof serveFlags>): Partial<HealthThresholds> {
  const picked: Partial<HealthThresholds> = {};
  const lagWarning = values['replication-lag-warning'];
  const lagCritical = values['replication-lag-critical'];
  if (lagWarning !== undefined) picked.replicationLagWarningSeconds = lagWarning / 1000;
  if (lagCritical !== undefined) picked.replicationLagCriticalSeconds = lagCritical / 1000;
  if (values['connections-warning-ratio'] !== undefined)
    picked.connectionsWarningRatio = values['connections-warning-ratio'];
  if (values['connections-critical-ratio'] !== undefined)
    picked.connectionsCriticalRatio = values['connections-critical-ratio'];
  if (values['disk-warning-ratio'] !== undefined)
    picked.diskWarningRatio = values['disk-warning-ratio'];
  if (values['disk-critical-ratio'] !== undefined)
    picked.diskCriticalRatio = values['disk-critical-ratio'];

  const pairs: [keyof HealthThresholds, keyof HealthThresholds, string][] = [
    ['replicationLagWarningSeconds', 'replicationLagCriticalSeconds', 'replication-lag'],
    ['connectionsWarningRatio', 'connectionsCriticalRatio', 'connections'],
    ['diskWarningRatio', 'diskCriticalRatio', 'disk'],
  ];
  for (const [warning, critical, flag] of pairs) {
    const low = picked[warning];
    const high = picked[critical];
    if (low !== undefined && high !== undefined && low > high) {
      throw new ConfigError(`--${flag}-warning must not be above --${flag}-critical`);
    }
  }
  return picked;
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * Without sign-in anyone who reaches the port acts with Deckhand's service
 * account, so `--auth=none` on a non-loopback address needs
 * `--allow-unauthenticated` as a deliberate choice. The proxy mode believes
 * identity headers only from the listed sources, so it needs that list.
 */
function checkAuth(values: FlagValues<typeof serveFlags>, listen: ListenAddress): AuthConfig {
  const mode = values.auth ?? 'none';
  const trustedProxyCidrs = values['trusted-proxy-cidrs'] ?? [];
  if (mode === 'proxy' && trustedProxyCidrs.length === 0) {
    throw new ConfigError('--auth=proxy needs --trusted-proxy-cidrs: the addresses of the proxy');
  }
  if (mode !== 'proxy' && trustedProxyCidrs.length > 0) {
    throw new ConfigError('--trusted-proxy-cidrs only applies to --auth=proxy');
  }
  try {
    parseCidrs(trustedProxyCidrs);
  } catch (error) {
    throw new ConfigError(`--trusted-proxy-cidrs: ${(error as Error).message}`);
  }
  const isLoopback = loopbackHosts.has(listen.host) || listen.host.startsWith('127.');
  if (mode === 'none' && !isLoopback && values['allow-unauthenticated'] !== true) {
    throw new ConfigError(
      `--listen: ${listen.host} is reachable from other machines and --auth=none has no sign-in; ` +
        'use --auth=proxy or --auth=token, or add --allow-unauthenticated to accept that',
    );
  }
  return {
    mode,
    trustedProxyCidrs,
    userHeader: values['auth-user-header'] ?? 'X-Forwarded-User',
    groupsHeader: values['auth-groups-header'] ?? 'X-Forwarded-Groups',
    sessionTtlMs: values['session-ttl'] ?? 8 * 3600 * 1000,
  };
}

/** A restore phase shorter than a minute is normal, so a lower limit would only cry wolf. */
function checkRestoreStuckAfter(ms: number): number {
  if (ms < 60_000) throw new ConfigError('--restore-stuck-after must be at least 1m');
  return ms;
}

/** Builds the server configuration from flag values, or throws a ConfigError. */
export function toServeConfig(
  values: FlagValues<typeof serveFlags>,
  surroundings: Surroundings,
): ServeConfig {
  const scrapeIntervalMs = values['scrape-interval'] ?? 30_000;
  const scrapeTimeoutMs = values['scrape-timeout'] ?? 5_000;
  if (scrapeIntervalMs < 1000) throw new ConfigError('--scrape-interval must be at least 1s');
  if (scrapeTimeoutMs >= scrapeIntervalMs) {
    throw new ConfigError('--scrape-timeout must be shorter than --scrape-interval');
  }
  const namespaces = values.namespaces ?? [];
  checkNamespaces(namespaces);
  const listen = values.listen ?? { host: '127.0.0.1', port: 8080 };
  const auth = checkAuth(values, listen);

  return {
    kubeconfig: values.kubeconfig,
    context: values.context,
    listen,
    namespaces,
    scrapeIntervalMs,
    scrapeTimeoutMs,
    scrapeVia: values['scrape-via'] ?? (isInPod(surroundings) ? 'direct' : 'proxy'),
    metricsCaFile: values['metrics-ca-file'],
    isReadOnly: values['read-only'] ?? false,
    restoreStuckAfterMs: checkRestoreStuckAfter(values['restore-stuck-after'] ?? 30 * 60_000),
    allowedOrigins: checkOrigins(values['allowed-origins'] ?? []),
    logLevel: values['log-level'] ?? 'info',
    logFormat: values['log-format'] ?? (surroundings.isTTY ? 'pretty' : 'json'),
    webRoot: values['web-root'],
    shutdownDrainMs: values['shutdown-drain'] ?? 2_000,
    thresholds: thresholdsOf(values),
    auth,
  };
}

/** Parses `deckhand serve` arguments; `undefined` when help was asked for. */
export function parseServeConfig(
  argv: readonly string[],
  surroundings: Surroundings,
): ServeConfig | undefined {
  const values = parseFlags(serveFlags, { argv, env: surroundings.env });
  if (values.help === true) return undefined;
  return toServeConfig(values, surroundings);
}

export const serveUsage = `Usage: deckhand serve [flags]

Runs the Deckhand console against a Kubernetes cluster. Every flag can also be
set as an environment variable: --scrape-interval is DECKHAND_SCRAPE_INTERVAL.

Flags:
${flagHelp(serveFlags)}`;
