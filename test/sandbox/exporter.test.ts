import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, waitFor, type TestSandbox } from '../support/sandbox';
import { clients, isHealthy } from './operator-helpers';

let t: TestSandbox;
const ns = 'metrics';

interface Reply {
  status: number;
  contentType: string;
  body: string;
}

/** Parses Prometheus text format strictly enough to catch malformed output. */
function parseExposition(
  text: string,
): Map<string, { labels: Record<string, string>; value: number }[]> {
  const families = new Map<string, { labels: Record<string, string>; value: number }[]>();
  const typed = new Set<string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (gauge|counter)$/.exec(line);
    if (type !== null) {
      typed.add(type[1]!);
      continue;
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .+$/.test(line)) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (sample === null) throw new Error(`not a Prometheus line: ${line}`);
    const name = sample[1]!;
    if (!typed.has(name)) throw new Error(`sample before its TYPE line: ${line}`);
    const labels: Record<string, string> = {};
    for (const match of (sample[3] ?? '').matchAll(
      /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g,
    )) {
      labels[match[1]!] = match[2]!;
    }
    const value = sample[4] === 'NaN' ? Number.NaN : Number(sample[4]);
    if (sample[4] !== 'NaN' && Number.isNaN(value)) throw new Error(`bad value: ${line}`);
    families.set(name, [...(families.get(name) ?? []), { labels, value }]);
  }
  return families;
}

function value(families: ReturnType<typeof parseExposition>, name: string): number | undefined {
  return families.get(name)?.[0]?.value;
}

/** GET through the API server's pod proxy, trusting the sandbox CA. */
function viaProxy(pod: string, options: { timeoutMs?: number } = {}): Promise<Reply> {
  const cluster = t.kubeConfig.getCurrentCluster();
  const url = new URL(`/api/v1/namespaces/${ns}/pods/${pod}:9187/proxy/metrics`, cluster?.server);
  return new Promise((resolve, reject) => {
    const req = request(url, {
      ca: Buffer.from(cluster?.caData ?? '', 'base64'),
      headers: { Authorization: 'Bearer test' },
      timeout: options.timeoutMs ?? 10_000,
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type']),
          body: Buffer.concat(chunks).toString('latin1'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function direct(pod: string, options: { timeoutMs?: number } = {}): Promise<Reply> {
  const address = t.sandbox.exporterAddress(ns, pod);
  if (address === undefined) throw new Error(`${pod} has no exporter listener`);
  const res = await fetch(`http://${address.host}:${address.port}/metrics`, {
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    body: Buffer.from(await res.arrayBuffer()).toString('latin1'),
  };
}

async function setFault(pod: string, mode: string, delayMs?: number): Promise<void> {
  t.sandbox.exporterFaults.set(
    { namespace: ns, pod },
    delayMs === undefined ? { mode: mode as 'none' } : { mode: mode as 'slow', delayMs },
  );
}

beforeAll(async () => {
  t = await startTestSandbox({ speed: 200 });
  const api = clients(t);
  await api.createNamespace(ns);
  await api.createCluster(ns, 'trio', { instances: 3, storage: { size: '1Gi' } });
  await api.createCluster(
    ns,
    'limping',
    { instances: 2, storage: { size: '1Gi' } },
    { annotations: { 'sandbox.deckhand.io/failed-instance': 'limping-2' } },
  );
  await api.waitForCluster(ns, 'trio', isHealthy, 'healthy');
  await api.waitForCluster(
    ns,
    'limping',
    (c) => c.status?.readyInstances === 1 && c.status?.instances === 2,
    'with one failed instance',
  );
  for (const pod of ['trio-1', 'trio-2', 'trio-3', 'limping-2']) {
    await waitFor(`a listener for ${pod}`, () =>
      t.sandbox.exporterAddress(ns, pod) === undefined ? undefined : true,
    );
  }
});

afterAll(async () => {
  await t.close();
});

describe('a simulated exporter', () => {
  it('serves valid Prometheus text with CNPG metric names on the pod address', async () => {
    const reply = await direct('trio-1');
    const families = parseExposition(reply.body);

    expect(reply.status).toBe(200);
    expect(reply.contentType).toContain('text/plain; version=0.0.4');
    for (const name of [
      'cnpg_backends_total',
      'cnpg_backends_waiting_total',
      'cnpg_pg_settings_setting',
      'cnpg_pg_replication_lag',
      'cnpg_pg_database_size_bytes',
      'cnpg_pg_stat_archiver_archived_count',
      'cnpg_pg_postmaster_start_time',
      'cnpg_collector_up',
      'cnpg_collector_pg_wal',
    ]) {
      expect(families.has(name), name).toBe(true);
    }
    const ownSession = families
      .get('cnpg_backends_total')
      ?.find((s) => s.labels.application_name === 'cnpg_metrics_exporter');
    expect(ownSession?.labels).toMatchObject({
      datname: 'postgres',
      usename: 'postgres',
      state: 'active',
    });
    expect(families.get('cnpg_collector_up')?.[0]).toEqual({
      labels: { cluster: 'trio' },
      value: 1,
    });
    expect(
      families.get('cnpg_pg_settings_setting')?.find((s) => s.labels.name === 'max_connections')
        ?.value,
    ).toBe(100);
  });

  it('reports the primary with its streaming standbys and each replica in recovery', async () => {
    const primary = parseExposition((await direct('trio-1')).body);
    const standbys = (await api()).pods.filter((pod) => pod !== 'trio-1');

    expect(value(primary, 'cnpg_pg_replication_in_recovery')).toBe(0);
    expect(value(primary, 'cnpg_pg_replication_streaming_replicas')).toBe(2);
    expect(
      primary
        .get('cnpg_pg_stat_replication_replay_diff_bytes')
        ?.map((s) => s.labels.application_name)
        .sort(),
    ).toEqual(standbys);
    for (const pod of standbys) {
      const replica = parseExposition((await direct(pod)).body);
      expect(value(replica, 'cnpg_pg_replication_in_recovery')).toBe(1);
      expect(value(replica, 'cnpg_pg_replication_is_wal_receiver_up')).toBe(1);
      expect(value(replica, 'cnpg_pg_replication_streaming_replicas')).toBe(0);
      expect(replica.has('cnpg_pg_stat_replication_replay_diff_bytes')).toBe(false);
      expect(replica.has('cnpg_pg_stat_archiver_archived_count')).toBe(false);
    }
  });

  it('counts backends that add up to no more than max_connections', async () => {
    const families = parseExposition((await direct('trio-2')).body);
    const total = (families.get('cnpg_backends_total') ?? []).reduce((sum, s) => sum + s.value, 0);

    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(100);
  });

  it('answers with cnpg_collector_up 0 and no query metrics for an instance whose database is down', async () => {
    const families = parseExposition((await direct('limping-2')).body);

    expect(families.get('cnpg_collector_up')?.[0]?.value).toBe(0);
    expect(families.has('cnpg_backends_total')).toBe(false);
  });

  it('serves the same text through the API server pod proxy', async () => {
    const reply = await viaProxy('trio-3');

    expect(reply.status).toBe(200);
    expect(value(parseExposition(reply.body), 'cnpg_pg_replication_in_recovery')).toBe(1);
  });
});

async function api() {
  const pods = await clients(t).core.listNamespacedPod({
    namespace: ns,
    labelSelector: 'cnpg.io/cluster=trio',
  });
  return { pods: pods.items.map((pod) => pod.metadata?.name ?? '').sort() };
}

describe('exporter faults', () => {
  it('hang: both paths accept the request and never answer', async () => {
    await setFault('trio-2', 'hang');

    await expect(direct('trio-2', { timeoutMs: 300 })).rejects.toThrow();
    await expect(viaProxy('trio-2', { timeoutMs: 300 })).rejects.toThrow('timed out');
    await setFault('trio-2', 'none');
  });

  it('refuse: the pod address refuses connections and the proxy answers 503 like kube-apiserver', async () => {
    const address = t.sandbox.exporterAddress(ns, 'trio-3');
    await setFault('trio-3', 'refuse');

    const error = await waitFor('the listener to close', async () => {
      try {
        await fetch(`http://${address?.host}:${address?.port}/metrics`);
        return undefined;
      } catch (caught) {
        const code = (caught as { cause?: { code?: string } }).cause?.code;
        return code === 'ECONNREFUSED' ? code : undefined;
      }
    });
    const reply = await viaProxy('trio-3');

    expect(error).toBe('ECONNREFUSED');
    expect(reply.status).toBe(503);
    expect(JSON.parse(reply.body)).toMatchObject({
      kind: 'Status',
      code: 503,
      reason: 'ServiceUnavailable',
      message: `error trying to reach service: dial tcp ${address?.host}:9187: connect: connection refused`,
    });

    await setFault('trio-3', 'none');
    await waitFor('the listener to reopen', async () =>
      (await direct('trio-3').catch(() => undefined))?.status === 200 ? true : undefined,
    );
  });

  it('garbage: answers 200 with a body that is not Prometheus text', async () => {
    await setFault('trio-2', 'garbage');

    for (const reply of [await direct('trio-2'), await viaProxy('trio-2')]) {
      expect(reply.status).toBe(200);
      expect(reply.contentType).toBe('text/html');
      expect(() => parseExposition(reply.body)).toThrow();
    }
    await setFault('trio-2', 'none');
  });

  it('huge: streams a 20 MiB body', async () => {
    await setFault('trio-2', 'huge');

    for (const reply of [await direct('trio-2'), await viaProxy('trio-2')]) {
      expect(reply.status).toBe(200);
      expect(reply.body.length).toBe(20 * 1024 * 1024);
    }
    await setFault('trio-2', 'none');
  });

  it('slow: drips the whole, valid body out', async () => {
    await setFault('trio-2', 'slow', 200);

    for (const reply of [await direct('trio-2'), await viaProxy('trio-2')]) {
      expect(reply.status).toBe(200);
      expect(value(parseExposition(reply.body), 'cnpg_pg_replication_in_recovery')).toBe(1);
    }
    await setFault('trio-2', 'none');
  });

  it('can be set over HTTP through the control API, with validation', async () => {
    const cluster = t.kubeConfig.getCurrentCluster();
    const post = (body: unknown) =>
      new Promise<Reply>((resolve, reject) => {
        const req = request(new URL('/_sandbox/faults/exporter', cluster?.server), {
          method: 'POST',
          ca: Buffer.from(cluster?.caData ?? '', 'base64'),
          headers: { 'Content-Type': 'application/json' },
        });
        req.on('response', (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, contentType: '', body: text }),
          );
        });
        req.on('error', reject);
        req.end(JSON.stringify(body));
      });

    expect(
      JSON.parse((await post({ namespace: ns, pod: 'trio-2', mode: 'explode' })).body),
    ).toEqual({
      error: 'mode must be one of none, hang, refuse, garbage, huge, slow',
    });
    expect((await post({ namespace: ns, pod: 'trio-2', mode: 'garbage' })).status).toBe(200);
    expect((await viaProxy('trio-2')).contentType).toBe('text/html');
    expect((await post({ namespace: ns, pod: 'trio-2', mode: 'none' })).status).toBe(200);
    expect((await viaProxy('trio-2')).contentType).toContain('text/plain');
  });
});
