// Local stand-ins for CNPG exporters, on 127.0.0.1 port 0, each with one
// behaviour: healthy, hanging, garbage, oversized, slow, gzip, redirecting.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';

export type ExporterBehaviour =
  | 'healthy'
  | 'hang'
  | 'garbage'
  | 'huge'
  | 'slow'
  | 'gzip'
  | 'redirect'
  | 'error503'
  | 'empty'
  | 'gzipBomb'
  | 'cutOff';

export interface ExporterText {
  connections?: number;
  maxConnections?: number;
  lagSeconds?: number;
  isReplica?: boolean;
  databaseBytes?: number;
}

/** A small exposition with the families Deckhand reads, as CNPG's default queries name them. */
export function cnpgExposition(text: ExporterText = {}): string {
  const connections = text.connections ?? 10;
  return [
    '# HELP cnpg_collector_up 1 if PostgreSQL is up, 0 otherwise.',
    '# TYPE cnpg_collector_up gauge',
    'cnpg_collector_up{cluster="alpha"} 1',
    '# TYPE cnpg_backends_total gauge',
    `cnpg_backends_total{datname="app",usename="app",application_name="psql",state="active"} ${connections - 3}`,
    'cnpg_backends_total{datname="app",usename="app",application_name="psql",state="idle"} 1',
    'cnpg_backends_total{datname="app",usename="app",application_name="psql",state="idle in transaction"} 1',
    'cnpg_backends_total{datname="postgres",usename="postgres",application_name="cnpg_metrics_exporter",state="idle in transaction (aborted)"} 1',
    `cnpg_pg_settings_setting{name="max_connections"} ${text.maxConnections ?? 100}`,
    'cnpg_pg_settings_setting{name="shared_buffers"} 16384',
    `cnpg_pg_replication_lag ${text.lagSeconds ?? 0}`,
    `cnpg_pg_replication_in_recovery ${text.isReplica === true ? 1 : 0}`,
    `cnpg_pg_replication_is_wal_receiver_up ${text.isReplica === true ? 1 : 0}`,
    `cnpg_pg_replication_streaming_replicas ${text.isReplica === true ? 0 : 2}`,
    'cnpg_pg_stat_replication_replay_diff_bytes{usename="streaming_replica",application_name="alpha-2",client_addr="10.0.0.2",client_port="5432"} 1024',
    'cnpg_pg_stat_replication_replay_diff_bytes{usename="streaming_replica",application_name="alpha-3",client_addr="10.0.0.3",client_port="5432"} 4096',
    `cnpg_pg_database_size_bytes{datname="app"} ${text.databaseBytes ?? 8_000_000}`,
    'cnpg_pg_database_size_bytes{datname="postgres"} 7000000',
    '',
  ].join('\n');
}

export interface LocalExporter {
  port: number;
  /** Requests received so far. */
  requests: number;
  behaviour: ExporterBehaviour;
  body: string;
  close(): Promise<void>;
}

const HUGE_BYTES = 20 * 1024 * 1024;

export async function startExporter(
  behaviour: ExporterBehaviour,
  options: { host?: string; body?: string } = {},
): Promise<LocalExporter> {
  const sockets = new Set<import('node:net').Socket>();
  const exporter = {
    port: 0,
    requests: 0,
    behaviour,
    body: options.body ?? cnpgExposition(),
  } as LocalExporter;
  const server = http.createServer((request, response) => {
    exporter.requests += 1;
    respond(exporter, request, response);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, options.host ?? '127.0.0.1', resolve));
  exporter.port = (server.address() as AddressInfo).port;
  exporter.close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return exporter;
}

function respond(
  exporter: LocalExporter,
  request: http.IncomingMessage,
  response: http.ServerResponse,
): void {
  const plain = { 'content-type': 'text/plain; version=0.0.4' };
  switch (exporter.behaviour) {
    case 'healthy':
      response.writeHead(200, plain).end(exporter.body);
      return;
    case 'hang':
      return;
    case 'garbage':
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<html><body>oops</body></html>\n');
      return;
    case 'huge':
      writeHuge(response);
      return;
    case 'slow':
      response.writeHead(200, plain);
      response.write(exporter.body.slice(0, 50));
      setTimeout(() => response.end(exporter.body.slice(50)), 400).unref();
      return;
    case 'gzip':
      sendGzip(request, response, Buffer.from(exporter.body));
      return;
    case 'gzipBomb':
      sendGzip(request, response, Buffer.alloc(HUGE_BYTES, '#'));
      return;
    case 'redirect':
      response.writeHead(302, { location: 'http://127.0.0.1:1/metrics' }).end();
      return;
    case 'error503':
      response.writeHead(503, plain).end('unavailable\n');
      return;
    case 'empty':
      response.writeHead(200, plain).end();
      return;
    case 'cutOff':
      response.writeHead(200, { ...plain, 'content-length': '100000' });
      response.write(exporter.body.slice(0, 100));
      setTimeout(() => response.destroy(), 20).unref();
      return;
  }
}

function sendGzip(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  body: Buffer,
): void {
  const acceptsGzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  if (!acceptsGzip) {
    response.writeHead(406).end();
    return;
  }
  response.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
  response.end(zlib.gzipSync(body));
}

/** 20 MiB of valid lines, written without a Content-Length. */
function writeHuge(response: http.ServerResponse): void {
  response.writeHead(200, { 'content-type': 'text/plain' });
  const line = 'cnpg_filler_metric{label="xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"} 1\n';
  const chunk = line.repeat(Math.floor(65536 / line.length));
  let sent = 0;
  const writeMore = (): void => {
    while (sent < HUGE_BYTES) {
      sent += chunk.length;
      if (!response.write(chunk)) {
        response.once('drain', writeMore);
        return;
      }
    }
    response.end();
  };
  response.on('error', () => undefined);
  writeMore();
}
