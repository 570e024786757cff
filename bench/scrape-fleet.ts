// A fleet of simulated CNPG exporters for bench/scrape.bench.ts, run in a child
// process so their CPU is not counted as the scraper's. Each exporter is an
// HTTP server on 127.0.0.1 with its own port and a behaviour the parent can
// switch; the fleet records when each exporter is scraped, so intervals are
// measured the same way for Deckhand and for Prometheus.
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { resolve } from 'node:path';

export type FleetMode = 'healthy' | 'hang' | 'slow' | 'refuse' | 'garbage' | 'huge';

export type FleetRequest =
  | { type: 'start'; count: number }
  | { type: 'modes'; modes: FleetMode[] }
  | { type: 'record' }
  | { type: 'report' }
  | { type: 'stop' };

export interface FleetReport {
  type: 'report';
  requests: number;
  /** Gaps between consecutive scrapes of exporters that were healthy, in ms. */
  healthyIntervals: { count: number; p50: number; p99: number; max: number };
}

interface Exporter {
  server: http.Server;
  port: number;
  mode: FleetMode;
  sockets: Set<Socket>;
  lastScrapeAt: number;
  isListening: boolean;
}

const SLOW_MS = 1000;
const HUGE_BYTES = 20 * 1024 * 1024;
const exporters: Exporter[] = [];
const intervals: number[] = [];
let requests = 0;
const body = exposition();

function exposition(): string {
  const reference =
    process.env.DECKHAND_CNPG_REFERENCE ??
    resolve(import.meta.dirname, '..', '..', 'shared', 'cnpg-reference');
  const samplePath = resolve(reference, 'monitoring', 'exporter-sample-collector.prom');
  const collector = existsSync(samplePath)
    ? readFileSync(samplePath, 'utf8')
    : 'cnpg_collector_up 1\n';
  const lines = [collector, '# TYPE cnpg_backends_total gauge'];
  for (const state of ['active', 'idle', 'idle in transaction']) {
    for (const db of ['app', 'postgres', 'reporting']) {
      lines.push(
        `cnpg_backends_total{datname="${db}",usename="app",application_name="api",state="${state}"} 3`,
      );
    }
  }
  lines.push(
    '# TYPE cnpg_pg_settings_setting gauge',
    'cnpg_pg_settings_setting{name="max_connections"} 100',
  );
  for (let i = 0; i < 300; i += 1) lines.push(`cnpg_pg_settings_setting{name="setting_${i}"} ${i}`);
  lines.push(
    'cnpg_pg_replication_lag 0.4',
    'cnpg_pg_replication_in_recovery 0',
    'cnpg_pg_replication_is_wal_receiver_up 0',
    'cnpg_pg_replication_streaming_replicas 2',
    'cnpg_pg_stat_replication_replay_diff_bytes{usename="streaming_replica",application_name="b",client_addr="10.0.0.2",client_port="1"} 2048',
    'cnpg_pg_database_size_bytes{datname="app"} 123456789',
    'cnpg_pg_database_size_bytes{datname="postgres"} 7654321',
  );
  return `${lines.join('\n')}\n`;
}

function handle(exporter: Exporter, response: http.ServerResponse): void {
  requests += 1;
  const now = performance.now();
  if (exporter.mode === 'healthy' && exporter.lastScrapeAt > 0)
    intervals.push(now - exporter.lastScrapeAt);
  exporter.lastScrapeAt = now;
  response.on('error', () => undefined);
  switch (exporter.mode) {
    case 'healthy':
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(body);
      return;
    case 'slow':
      setTimeout(
        () => response.writeHead(200, { 'content-type': 'text/plain' }).end(body),
        SLOW_MS,
      );
      return;
    case 'garbage':
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<html><body>Bad gateway</body></html>\n');
      return;
    case 'huge':
      streamHuge(response);
      return;
    case 'hang':
    case 'refuse':
      return;
  }
}

function streamHuge(response: http.ServerResponse): void {
  response.writeHead(200, { 'content-type': 'text/plain' });
  const chunk = 'cnpg_padding{x="yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"} 1\n'.repeat(1024);
  let sent = 0;
  const more = (): void => {
    while (sent < HUGE_BYTES && !response.destroyed) {
      sent += chunk.length;
      if (!response.write(chunk)) {
        response.once('drain', more);
        return;
      }
    }
    response.end();
  };
  more();
}

async function startOne(): Promise<Exporter> {
  const server = http.createServer({ keepAliveTimeout: 60_000 });
  const exporter: Exporter = {
    server,
    port: 0,
    mode: 'healthy',
    sockets: new Set(),
    lastScrapeAt: 0,
    isListening: true,
  };
  server.on('request', (_request, response) => handle(exporter, response));
  server.on('connection', (socket) => {
    exporter.sockets.add(socket);
    socket.on('close', () => exporter.sockets.delete(socket));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', 1024, done));
  exporter.port = (server.address() as AddressInfo).port;
  return exporter;
}

async function setMode(exporter: Exporter, mode: FleetMode): Promise<void> {
  exporter.mode = mode;
  exporter.lastScrapeAt = 0;
  if (mode === 'refuse' && exporter.isListening) {
    exporter.isListening = false;
    for (const socket of exporter.sockets) socket.destroy();
    await new Promise<void>((done) => exporter.server.close(() => done()));
  } else if (mode !== 'refuse' && !exporter.isListening) {
    exporter.isListening = await relisten(exporter);
  }
}

/**
 * Listens again on the exporter's old port. The port may have been taken in
 * the meantime (an outgoing connection got it); the exporter then stays
 * refusing, which only makes the next phase slightly harsher than planned.
 */
function relisten(exporter: Exporter): Promise<boolean> {
  return new Promise((done) => {
    const onError = (): void => done(false);
    exporter.server.once('error', onError);
    exporter.server.listen(exporter.port, '127.0.0.1', 1024, () => {
      exporter.server.off('error', onError);
      done(true);
    });
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function onMessage(message: FleetRequest): Promise<void> {
  const send = (reply: unknown): void => void process.send?.(reply);
  switch (message.type) {
    case 'start':
      for (let i = 0; i < message.count; i += 1) exporters.push(await startOne());
      send({
        type: 'ready',
        ports: exporters.map((e) => e.port),
        bodyBytes: Buffer.byteLength(body),
      });
      return;
    case 'modes':
      await Promise.all(
        exporters.map((exporter, i) => setMode(exporter, message.modes[i] ?? 'healthy')),
      );
      send({ type: 'modes' });
      return;
    case 'record':
      intervals.length = 0;
      requests = 0;
      for (const exporter of exporters) exporter.lastScrapeAt = 0;
      send({ type: 'record' });
      return;
    case 'report': {
      const sorted = Float64Array.from(intervals).sort();
      const values = Array.from(sorted);
      const report: FleetReport = {
        type: 'report',
        requests,
        healthyIntervals: {
          count: values.length,
          p50: percentile(values, 50),
          p99: percentile(values, 99),
          max: values.at(-1) ?? 0,
        },
      };
      send(report);
      return;
    }
    case 'stop':
      for (const exporter of exporters) {
        for (const socket of exporter.sockets) socket.destroy();
        exporter.server.close();
      }
      process.exit(0);
  }
}

process.on('message', (message: FleetRequest) => void onMessage(message));
