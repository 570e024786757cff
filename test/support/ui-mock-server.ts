// A stand-in for the Deckhand server while developing the UI: serves dist/web
// under the production CSP and answers the API with contract-typed fixtures.
// Run: npx tsx test/support/ui-mock-server.ts [clusterCount]
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import type {
  BackupSummary,
  ClusterListItem,
  RestoreResponse,
  RestoreStatusResponse,
  StoreChangedEvent,
} from '../../src/contract/api';
import { backup, clusterItem, detail, history, isoAgo, manyClusters, metrics } from './ui-fixtures';

const webRoot = fileURLToPath(new URL('../../dist/web/', import.meta.url));
const csp =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'";
const types: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.html': 'text/html',
  '.svg': 'image/svg+xml',
};

interface MockState {
  items: ClusterListItem[];
  backups: Map<string, BackupSummary[]>;
  restores: Map<
    string,
    { createdAt: number; source: { namespace: string; name: string; backupName: string } }
  >;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, string>;
}

async function serveStatic(res: ServerResponse, path: string): Promise<void> {
  const file = normalize(join(webRoot, path));
  const isAsset = file.startsWith(webRoot) && extname(file) !== '';
  const body = await readFile(isAsset ? file : join(webRoot, 'index.html')).catch(() => undefined);
  if (body === undefined) return send(res, 404, { error: 'not found' });
  res.writeHead(200, {
    'content-type': types[extname(isAsset ? file : 'x.html')] ?? 'application/octet-stream',
    'content-security-policy': csp,
  });
  res.end(body);
}

function restoreStatus(state: MockState, key: string): RestoreStatusResponse | undefined {
  const restore = state.restores.get(key);
  const [namespace = '', name = ''] = key.split('/');
  if (restore === undefined) return undefined;
  const elapsed = Date.now() - restore.createdAt;
  const at = (ms: number) => new Date(restore.createdAt + ms).toISOString();
  const phase = elapsed > 6000 ? 'ready' : elapsed > 2500 ? 'recovering' : 'bootstrapping';
  return {
    cluster: { namespace, name, desiredInstances: 1, readyInstances: phase === 'ready' ? 1 : 0 },
    source: restore.source,
    status: {
      phase,
      phaseReason: phase,
      message: phase === 'ready' ? 'cluster is ready' : `restore is ${phase}`,
      timestamps: {
        bootstrappingStartedAt: at(0),
        ...(elapsed > 2500 ? { recoveringStartedAt: at(2500) } : {}),
        ...(elapsed > 6000 ? { readyAt: at(6000) } : {}),
      },
    },
  };
}

async function handleApi(
  state: MockState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  broadcast: (e: Omit<StoreChangedEvent, 'type' | 'occurredAt'>) => void,
): Promise<void> {
  if (url.pathname === '/api')
    return send(res, 200, {
      version: '0.1.0',
      permissions: { readOnly: false, canCreateBackups: true, canRestore: true },
    });
  if (url.pathname === '/api/clusters')
    return send(res, 200, {
      namespaces: [...new Set(state.items.map((i) => i.namespace))].map((name) => ({
        name,
        clusterCount: state.items.filter((i) => i.namespace === name).length,
      })),
      items: state.items,
    });
  const match = /^\/api\/clusters\/([^/]+)\/([^/]+)(\/.*)?$/.exec(url.pathname);
  const key = match ? `${match[1]}/${match[2]}` : '';
  const item = state.items.find((i) => `${i.namespace}/${i.name}` === key);
  if (!match || !item)
    return send(res, 404, {
      error: `cluster "${match?.[2]}" in namespace "${match?.[1]}" not found`,
    });
  const backups = state.backups.get(key) ?? [
    backup({ namespace: item.namespace, clusterName: item.name, name: `${item.name}-backup-1` }),
    backup({
      namespace: item.namespace,
      clusterName: item.name,
      name: `${item.name}-backup-0`,
      startedAt: isoAgo(20 * 3600_000),
      stoppedAt: isoAgo(19.9 * 3600_000),
    }),
  ];
  state.backups.set(key, backups);
  const suffix = match[3] ?? '';
  if (suffix === '' || suffix === '/backups')
    return send(res, 200, { ...detail(item, backups), isRestoreTarget: state.restores.has(key) });
  if (suffix === '/metrics') return send(res, 200, metrics(item));
  if (suffix === '/metrics/history') return send(res, 200, history(item));
  if (suffix === '/restore-status') {
    const status = restoreStatus(state, key);
    return status
      ? send(res, 200, status)
      : send(res, 404, { error: `cluster "${item.name}" was not created by a restore` });
  }
  if (suffix === '/restore' && req.method === 'GET')
    return send(res, 200, {
      cluster: detail(item, []).cluster,
      backups,
      recoverability: { start: item.firstRecoverabilityPoint, end: isoAgo(60_000) },
      supportedPhases: ['bootstrapping', 'recovering', 'ready', 'failed'],
    });
  if (suffix === '/backups' && req.method === 'POST') {
    const created = backup({
      namespace: item.namespace,
      clusterName: item.name,
      name: `${item.name}-manual-${Date.now()}`,
      phase: 'running',
      startedAt: new Date().toISOString(),
      stoppedAt: undefined,
    });
    backups.unshift(created);
    setTimeout(() => {
      created.phase = 'completed';
      created.stoppedAt = new Date().toISOString();
      broadcast({
        kind: 'backup',
        action: 'upsert',
        namespace: item.namespace,
        name: created.name,
      });
    }, 3000);
    return send(res, 201, { backup: created });
  }
  if (suffix === '/restore' && req.method === 'POST') {
    const body = await readBody(req);
    const response: RestoreResponse = {
      sourceCluster: { namespace: item.namespace, name: item.name },
      targetCluster: { namespace: body.targetNamespace ?? '', name: body.targetName ?? '' },
      backup: backups.find((b) => b.name === body.backupName) ?? backup(),
      yamlPreview: `apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: ${body.targetName}\n  namespace: ${body.targetNamespace}\nspec:\n  instances: 1\n  bootstrap:\n    recovery:\n      backup:\n        name: ${body.backupName}\n${body.pitrTargetTime ? `      recoveryTarget:\n        targetTime: "${body.pitrTargetTime}"\n` : ''}`,
      restoreStatus: {
        phase: 'bootstrapping',
        phaseReason: 'pending',
        message: 'not created',
        timestamps: {},
      },
      warnings: [
        'The new cluster does not archive WAL: add a backup configuration once it is ready.',
      ],
      dryRun: url.searchParams.get('dryRun') === 'true',
    };
    if (!response.dryRun) {
      const target = clusterItem({
        namespace: response.targetCluster.namespace,
        name: response.targetCluster.name,
        phase: 'Setting up primary',
        readyInstances: 0,
        desiredInstances: 1,
      });
      state.items.push(target);
      state.restores.set(`${target.namespace}/${target.name}`, {
        createdAt: Date.now(),
        source: { namespace: item.namespace, name: item.name, backupName: body.backupName ?? '' },
      });
    }
    return send(res, response.dryRun ? 200 : 201, response);
  }
  return send(res, 404, { error: 'route not found' });
}

/** Starts the mock on 127.0.0.1 (port 0 unless given) and returns its URL and a closer. */
export async function startUiMockServer(
  options: { clusters?: number; port?: number; isDegraded?: boolean } = {},
) {
  const state: MockState = {
    items: [
      clusterItem(),
      clusterItem({
        name: 'beta',
        overallHealth: 'critical',
        readyInstances: 1,
        phase: 'Failing over',
        phaseReason: 'Primary instance is not ready',
        metricsScrapeError: 'scrape timeout after 5s',
      }),
      ...manyClusters(options.clusters ?? 40),
    ],
    backups: new Map(),
    restores: new Map(),
  };
  const wss = new WebSocketServer({ noServer: true });
  const broadcast = (event: Omit<StoreChangedEvent, 'type' | 'occurredAt'>) => {
    const text = JSON.stringify({
      type: 'store.changed',
      occurredAt: new Date().toISOString(),
      ...event,
    });
    for (const client of wss.clients) client.send(text);
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/readyz')
      return send(res, 200, {
        status: options.isDegraded ? 'degraded' : 'ready',
        kinds: [
          {
            kind: 'clusters',
            state: options.isDegraded ? 'degraded' : 'synced',
            staleSeconds: 95,
            error: 'watch stalled',
          },
        ],
      });
    const work = url.pathname.startsWith('/api')
      ? handleApi(state, req, res, url, broadcast)
      : serveStatic(res, url.pathname);
    work.catch((error: unknown) => send(res, 500, { error: String(error) }));
  });
  server.on('upgrade', (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)),
  );
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    broadcast,
    close: () => {
      for (const c of wss.clients) c.terminate();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const mock = await startUiMockServer({
    clusters: Number(process.argv[2] ?? 40),
    port: Number(process.env.PORT ?? 0),
    isDegraded: process.env.DEGRADED === '1',
  });
  console.log(mock.url);
}
