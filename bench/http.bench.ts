// HTTP read-path benchmark. Seeds 10,000 clusters (100 namespaces, 3 backups
// each) into the real store, serves them with Deckhand's app, and measures:
//   1. GET /api/clusters at 10 connections, against a bare node:http server
//      sending the same bytes (goals: p99 <= 250 ms, >= 0.5x its req/s);
//   2. the same under churn (a Cluster change and 40 scrape results every
//      250 ms), so bodies are rebuilt;
//   3. GET /api/clusters?namespace=... at 50 connections (goal: p99 <= 50 ms);
//   4. GET /api/clusters/{ns}/{name} at 50 connections (goal: p99 <= 20 ms).
// The load generator runs in a child process. Health comes from an in-memory
// stand-in for the metrics cache, so these figures are the API layer's own
// cost. Results: bench/results/http.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import pino from 'pino';
import { buildApp } from '../src/server/api/app';
import { Store } from '../src/server/store/store';
import { FakeMetrics, aBackup, aCluster } from '../test/server/api-fixtures';
import { loadInChild as load, type LoadReport } from './http-load';

const CLUSTERS = Number(process.env.HTTP_BENCH_CLUSTERS ?? 10_000);
const NAMESPACES = 100;
const DURATION_MS = Number(process.env.HTTP_BENCH_DURATION_MS ?? 5_000);
const WARMUP_MS = 1_000;
const ROUNDS = 3;

/** The round with the median req/s. */
function median(rounds: LoadReport[]): LoadReport {
  const sorted = [...rounds].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  return sorted[Math.floor(sorted.length / 2)] ?? rounds[0]!;
}

function seed(store: Store): void {
  for (let i = 0; i < CLUSTERS; i += 1) {
    const namespace = `team-${i % NAMESPACES}`;
    const name = `cluster-${i}`;
    store.upsert(
      'clusters',
      aCluster({ namespace, name, uid: `c-${i}`, currentPrimary: `${name}-1` }),
    );
    for (let b = 0; b < 3; b += 1) {
      store.upsert(
        'backups',
        aBackup({ namespace, name: `${name}-b${b}`, uid: `b-${i}-${b}`, clusterName: name }),
      );
    }
  }
}

async function bareServer(body: Buffer): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': body.length,
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}

async function main(): Promise<void> {
  const store = new Store();
  const started = performance.now();
  seed(store);
  console.log(`seeded ${CLUSTERS} clusters in ${Math.round(performance.now() - started)} ms`);

  const metrics = new FakeMetrics();
  const app = await buildApp(
    {
      store,
      metrics,
      kubeConfig: new KubeConfig(),
      logger: pino({ level: 'silent' }),
      isReadOnly: false,
      now: () => new Date(),
    },
    { webRoot: '/nonexistent-web-root' },
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${portOf(app.server)}`;

  const listBody = Buffer.from(await (await fetch(`${base}/api/clusters`)).arrayBuffer());
  const bare = await bareServer(listBody);
  const run = (urls: string[], connections: number) =>
    load({ urls, connections, durationMs: DURATION_MS, warmupMs: WARMUP_MS });

  // The machine may be shared: bare and Deckhand runs alternate, and the
  // median of the rounds is reported, so a burst of foreign load hits both.
  const results: Record<string, LoadReport> = {};
  const bareRounds: LoadReport[] = [];
  const listRounds: LoadReport[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    bareRounds.push(await run([`http://127.0.0.1:${portOf(bare)}/`], 10));
    listRounds.push(await run([`${base}/api/clusters`], 10));
  }
  results.bareList10 = median(bareRounds);
  results.list10 = median(listRounds);

  // Churn as a live fleet makes it: one Cluster status change and 40 scrape
  // results (about 10,000 clusters scraped per minute) every 250 ms.
  let churn = 0;
  const churnTimer = setInterval(() => {
    churn += 1;
    store.upsert(
      'clusters',
      aCluster({ namespace: 'team-0', name: 'cluster-0', uid: 'c-0', readyInstances: churn % 4 }),
    );
    for (let i = 0; i < 40; i += 1) {
      const n = (churn * 40 + i) % CLUSTERS;
      metrics.setHealth(
        `team-${n % NAMESPACES}`,
        `cluster-${n}`,
        'healthy',
        new Date().toISOString(),
      );
    }
  }, 250);
  results.list10WithChurn = await run([`${base}/api/clusters`], 10);
  clearInterval(churnTimer);

  // Bare servers sending one namespace list and one detail body show what the
  // machine itself allows at 50 connections.
  const namespaces = Array.from(
    { length: NAMESPACES },
    (_, i) => `${base}/api/clusters?namespace=team-${i}`,
  );
  const namespaceBody = Buffer.from(await (await fetch(namespaces[0] ?? '')).arrayBuffer());
  const bareNamespace = await bareServer(namespaceBody);
  results.bareNamespaceList50 = await run([`http://127.0.0.1:${portOf(bareNamespace)}/`], 50);
  results.namespaceList50 = await run(namespaces, 50);

  const details = Array.from(
    { length: 1000 },
    (_, i) => `${base}/api/clusters/team-${i % NAMESPACES}/cluster-${i}`,
  );
  const detailBody = Buffer.from(await (await fetch(details[0] ?? '')).arrayBuffer());
  const bareDetail = await bareServer(detailBody);
  results.bareDetail50 = await run([`http://127.0.0.1:${portOf(bareDetail)}/`], 50);
  results.detail50 = await run(details, 50);
  bareNamespace.close();
  bareDetail.close();

  const ratio = Number(
    (results.list10.requestsPerSecond / Math.max(1, results.bareList10.requestsPerSecond)).toFixed(
      2,
    ),
  );
  const summary = {
    clusters: CLUSTERS,
    listBodyBytes: listBody.length,
    durationMs: DURATION_MS,
    results,
    listVsBareRatio: ratio,
    goals: {
      listP99Under250ms: results.list10.p99Ms <= 250,
      listAtLeastHalfOfBare: ratio >= 0.5,
      namespaceListP99Under50ms: results.namespaceList50.p99Ms <= 50,
      detailP99Under20ms: results.detail50.p99Ms <= 20,
    },
  };
  console.table(
    Object.fromEntries(
      Object.entries(results).map(([name, r]) => [
        name,
        {
          rps: r.requestsPerSecond,
          p50: r.p50Ms,
          p99: r.p99Ms,
          max: r.maxMs,
          errors: r.errors,
          bytes: r.bytesPerResponse,
        },
      ]),
    ),
  );
  console.log(`list req/s vs bare node:http: ${ratio}x`, summary.goals);

  const outDir = join(import.meta.dirname, 'results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'http.json'), `${JSON.stringify(summary, null, 2)}\n`);

  await app.close();
  await new Promise((resolve) => bare.close(resolve));
}

await main();
