import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/server/config/flags';
import { parseServeConfig, type Surroundings } from '../../src/server/config/serve-config';
import { parseDurationMs } from '../../src/server/config/values';

const outsidePod: Surroundings = { env: {}, isTTY: false, fileExists: () => false };

function parse(argv: string[], surroundings: Partial<Surroundings> = {}) {
  return parseServeConfig(argv, { ...outsidePod, ...surroundings });
}

function problem(argv: string[], env: NodeJS.ProcessEnv = {}): string {
  try {
    parse(argv, { env });
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a configuration error');
}

describe('deckhand serve configuration', () => {
  it('uses the documented defaults', () => {
    expect(parse([])).toMatchObject({
      listen: { host: '127.0.0.1', port: 8080 },
      namespaces: [],
      scrapeIntervalMs: 30_000,
      scrapeTimeoutMs: 5_000,
      scrapeVia: 'proxy',
      isReadOnly: false,
      restoreStuckAfterMs: 30 * 60_000,
      allowedOrigins: [],
      logLevel: 'info',
      logFormat: 'json',
    });
  });

  it('scrapes directly and logs pretty when the surroundings say so', () => {
    const inPod = parse([], {
      env: { KUBERNETES_SERVICE_HOST: '10.0.0.1' },
      fileExists: () => true,
      isTTY: true,
    });
    expect(inPod?.scrapeVia).toBe('direct');
    expect(inPod?.logFormat).toBe('pretty');
  });

  it('reads flags in both spellings and switches', () => {
    const config = parse([
      '--listen=0.0.0.0:9090',
      '--allow-unauthenticated',
      '--namespaces',
      'team-a, team-b',
      '--scrape-interval',
      '1m',
      '--scrape-timeout=500ms',
      '--read-only',
      '--restore-stuck-after=2h',
      '--allowed-origins',
      'https://Console.example.com:443/',
      '--metrics-ca-file',
      '/etc/ca.pem',
      '--replication-lag-warning=20s',
    ]);
    expect(config).toMatchObject({
      listen: { host: '0.0.0.0', port: 9090 },
      namespaces: ['team-a', 'team-b'],
      scrapeIntervalMs: 60_000,
      scrapeTimeoutMs: 500,
      isReadOnly: true,
      restoreStuckAfterMs: 2 * 3600_000,
      allowedOrigins: ['https://console.example.com'],
      metricsCaFile: '/etc/ca.pem',
      thresholds: { replicationLagWarningSeconds: 20 },
    });
  });

  it('configures the proxy and token sign-in modes', () => {
    expect(
      parse([
        '--listen=0.0.0.0:8080',
        '--auth=proxy',
        '--trusted-proxy-cidrs=10.0.0.0/8,::1',
        '--auth-user-header=X-Auth-Request-User',
      ])?.auth,
    ).toEqual({
      mode: 'proxy',
      trustedProxyCidrs: ['10.0.0.0/8', '::1'],
      userHeader: 'X-Auth-Request-User',
      groupsHeader: 'X-Forwarded-Groups',
      sessionTtlMs: 8 * 3600 * 1000,
    });
    expect(
      parse(['--listen=0.0.0.0:8080', '--auth=token', '--session-ttl=1h'])?.auth,
    ).toMatchObject({ mode: 'token', sessionTtlMs: 3600 * 1000 });
  });

  it('takes every flag from DECKHAND_ variables, with the command line winning', () => {
    const env = {
      DECKHAND_SCRAPE_INTERVAL: '45s',
      DECKHAND_READ_ONLY: 'true',
      DECKHAND_LISTEN: '127.0.0.1:1',
    };
    const config = parse(['--listen', '[::1]:8081'], { env });
    expect(config).toMatchObject({
      scrapeIntervalMs: 45_000,
      isReadOnly: true,
      listen: { host: '::1', port: 8081 },
    });
  });

  it('returns nothing when help is asked for on the command line, never from the environment', () => {
    expect(parse(['--help'])).toBeUndefined();
    expect(parse([], { env: { DECKHAND_HELP: 'true' } })).toBeDefined();
  });

  it.each([
    [
      ['--scrape-interval', '30x'],
      '--scrape-interval: "30x" is not a duration (use e.g. 500ms, 30s, 1m)',
    ],
    [['--scrape-timeout', '30s'], '--scrape-timeout must be shorter than --scrape-interval'],
    [
      ['--scrape-via', 'carrier-pigeon'],
      '--scrape-via: "carrier-pigeon" is not one of direct, proxy',
    ],
    [
      ['--listen', 'localhost'],
      '--listen: "localhost" is not a host:port address (e.g. 127.0.0.1:8080)',
    ],
    [
      ['--listen', '127.0.0.1:70000'],
      '--listen: "127.0.0.1:70000" is not a host:port address (e.g. 127.0.0.1:8080)',
    ],
    [
      ['--log-level', 'loud'],
      '--log-level: "loud" is not one of fatal, error, warn, info, debug, trace, silent',
    ],
    [
      ['--namespaces', 'Team_A'],
      '--namespaces: "Team_A" must be a lowercase RFC 1123 label (a-z, 0-9 and "-", starting and ending with a letter or digit)',
    ],
    [
      ['--allowed-origins', 'evil'],
      '--allowed-origins: "evil" is not an http(s) origin such as https://deckhand.example.com',
    ],
    [['--disk-warning-ratio', '2'], '--disk-warning-ratio: "2" is not a number from 0 to 1'],
    [
      ['--connections-warning-ratio', '0.9', '--connections-critical-ratio', '0.5'],
      '--connections-warning must not be above --connections-critical',
    ],
    [['--restore-stuck-after', '30s'], '--restore-stuck-after must be at least 1m'],
    [['--bogus'], 'unknown flag --bogus'],
    [['--auth', 'proxy'], '--auth=proxy needs --trusted-proxy-cidrs: the addresses of the proxy'],
    [
      ['--auth', 'proxy', '--trusted-proxy-cidrs', '10.0.0.0/40'],
      '--trusted-proxy-cidrs: "10.0.0.0/40" has an invalid prefix length',
    ],
    [['--trusted-proxy-cidrs', '10.0.0.0/8'], '--trusted-proxy-cidrs only applies to --auth=proxy'],
    [
      ['--listen', '0.0.0.0:8080'],
      '--listen: 0.0.0.0 is reachable from other machines and --auth=none has no sign-in; use --auth=proxy or --auth=token, or add --allow-unauthenticated to accept that',
    ],
    [['--listen'], '--listen needs a value'],
    [['serve'], 'unexpected argument "serve"'],
  ])('rejects %j with a message naming the flag', (argv, message) => {
    expect(problem(argv)).toBe(message);
  });

  it('names the environment variable a bad value came from', () => {
    expect(problem([], { DECKHAND_READ_ONLY: 'maybe' })).toBe(
      'DECKHAND_READ_ONLY: "maybe" is not a boolean (use true or false)',
    );
  });
});

describe('durations', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['1m', 60_000],
    ['1m30s', 90_000],
    ['1.5s', 1_500],
    ['2h', 7_200_000],
  ])('reads %s as %i ms', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  it.each(['', '30', 's', '1 m', '-1s', '1d'])('refuses %j', (text) => {
    expect(parseDurationMs(text)).toBeUndefined();
  });
});
