import { request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startApiServer,
  type ApiServer,
  type PodProxyTarget,
} from '../../src/sandbox/apiserver/server';
import { createObjectStore } from '../../src/sandbox/store/memory';
import type { ObjectStore } from '../../src/sandbox/store/types';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: Record<string, unknown>;
}

let server: ApiServer;
let store: ObjectStore;
const proxied: PodProxyTarget[] = [];

/** `kubectl create namespace db`, as kubectl 1.32 encodes it (captured from kubectl -v=9). */
const kubectlNamespaceBytes = Buffer.from(
  [
    '6b 38 73 00 0a 0f 0a 02 76 31 12 09 4e 61 6d 65',
    '73 70 61 63 65 12 1a 0a 12 0a 02 64 62 12 00 1a',
    '00 22 00 2a 00 32 00 38 00 42 00 12 00 1a 02 0a',
    '00 1a 00 22 00',
  ]
    .join(' ')
    .replaceAll(' ', ''),
  'hex',
);

beforeAll(async () => {
  store = createObjectStore({ podGracePeriodMs: 100 });
  server = await startApiServer({
    store,
    podProxy: (target, _req, res) => {
      proxied.push(target);
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('cnpg_collector_up 1\n');
    },
    controlRoutes: (_req, res, url) => {
      if (url.pathname !== '/_sandbox/faults/exporter') return false;
      res.writeHead(204);
      res.end();
      return true;
    },
  });
  await send('POST', '/api/v1/namespaces', {
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'db' } },
  });
});

afterAll(async () => {
  await server.close();
  store.close();
});

function send(
  method: string,
  path: string,
  options: { body?: unknown; raw?: Buffer; contentType?: string; accept?: string } = {},
): Promise<Reply> {
  const payload =
    options.raw ??
    (options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body)));
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      `${server.url}${path}`,
      {
        method,
        ca: server.caPem,
        headers: {
          Authorization: 'Bearer anything',
          ...(payload === undefined
            ? {}
            : {
                'Content-Type': options.contentType ?? 'application/json',
                'Content-Length': payload.length,
              }),
          ...(options.accept === undefined ? {} : { Accept: options.accept }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: parseOrEmpty(text),
          });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

function parseOrEmpty(text: string): Reply['json'] {
  try {
    return JSON.parse(text) as Reply['json'];
  } catch {
    return {};
  }
}

const clustersPath = '/apis/postgresql.cnpg.io/v1/namespaces/db/clusters';

function cluster(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name },
    spec: { instances: 1 },
    ...extra,
  };
}

function pod(name: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { containers: [{ name: 'postgres', image: 'pg' }] },
  };
}

describe('discovery', () => {
  it('describes core resources with short names, subresources and the pod proxy', async () => {
    const reply = await send('GET', '/api/v1');
    const resources = reply.json.resources as { name: string; shortNames?: string[] }[];
    expect(resources.map((entry) => entry.name)).toEqual(
      expect.arrayContaining([
        'pods',
        'pods/status',
        'pods/proxy',
        'namespaces',
        'persistentvolumeclaims',
      ]),
    );
    expect(resources.find((entry) => entry.name === 'pods')?.shortNames).toEqual(['po']);
  });

  it('lists the CNPG groups and answers 404 for unknown ones', async () => {
    const groups = await send('GET', '/apis');
    expect((groups.json.groups as { name: string }[]).map((group) => group.name)).toEqual([
      'postgresql.cnpg.io',
      'barmancloud.cnpg.io',
    ]);
    const unknown = await send('GET', '/apis/apps/v1');
    expect([unknown.status, unknown.json.reason]).toEqual([404, 'NotFound']);
  });

  it('serves /openapi/v2 in the protobuf content type kubectl apply requires', async () => {
    const reply = await send('GET', '/openapi/v2', {
      accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf',
    });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe(
      'application/com.github.proto-openapi.spec.v2.v1.0+protobuf',
    );
  });
});

describe('writes over HTTP', () => {
  it('creates from generateName and strips status on create', async () => {
    const reply = await send('POST', clustersPath, {
      body: cluster('', { metadata: { generateName: 'gen-' }, status: { phase: 'forged' } }),
    });
    expect(reply.status).toBe(201);
    expect((reply.json.metadata as { name: string }).name).toMatch(/^gen-[a-z0-9]{5}$/);
    expect(reply.json.status).toBeUndefined();
  });

  it('changes only status through the status subresource', async () => {
    await send('POST', clustersPath, { body: cluster('with-status') });
    const reply = await send('PATCH', `${clustersPath}/with-status/status`, {
      body: { spec: { instances: 9 }, status: { phase: 'Cluster in healthy state' } },
      contentType: 'application/merge-patch+json',
    });
    expect(reply.status).toBe(200);
    expect(reply.json.status).toEqual({ phase: 'Cluster in healthy state' });
    expect(reply.json.spec).toEqual({ instances: 1 });
  });

  it('applies JSON patches', async () => {
    await send('POST', clustersPath, { body: cluster('json-patched') });
    const reply = await send('PATCH', `${clustersPath}/json-patched`, {
      body: [{ op: 'replace', path: '/spec/instances', value: 3 }],
      contentType: 'application/json-patch+json',
    });
    expect((reply.json.spec as { instances: number }).instances).toBe(3);
  });

  it('applies strategic merge patches to pods, merging containers by name', async () => {
    await send('POST', '/api/v1/namespaces/db/pods', { body: pod('strategic') });
    const reply = await send('PATCH', '/api/v1/namespaces/db/pods/strategic', {
      body: {
        metadata: { labels: { role: 'primary' } },
        spec: { containers: [{ name: 'postgres', image: 'pg:17' }] },
      },
      contentType: 'application/strategic-merge-patch+json',
    });
    expect(reply.json.spec).toEqual({ containers: [{ name: 'postgres', image: 'pg:17' }] });
    expect((reply.json.metadata as { labels: unknown }).labels).toEqual({ role: 'primary' });
  });

  it('prunes unknown fields with a Warning header unless asked to be strict', async () => {
    const warned = await send('POST', clustersPath, {
      body: cluster('pruned', { specc: { instances: 3 } }),
    });
    expect(warned.status).toBe(201);
    expect(warned.json.specc).toBeUndefined();
    expect(warned.headers.warning).toBe('299 - "unknown field \\"specc\\""');

    const strict = await send('POST', `${clustersPath}?fieldValidation=Strict`, {
      body: cluster('strict', { specc: {} }),
    });
    expect([strict.status, strict.json.reason]).toEqual([400, 'BadRequest']);
  });

  it('stores nothing on dryRun=All and refuses other dryRun values', async () => {
    const dry = await send('POST', `${clustersPath}?dryRun=All`, { body: cluster('dry') });
    expect(dry.status).toBe(201);
    expect((await send('GET', `${clustersPath}/dry`)).status).toBe(404);
    const wrong = await send('POST', `${clustersPath}?dryRun=Some`, { body: cluster('dry') });
    expect([wrong.status, wrong.json.reason]).toEqual([400, 'BadRequest']);
  });

  it('keeps a deleted pod Terminating, then removes it after its grace period', async () => {
    await send('POST', '/api/v1/namespaces/db/pods', { body: pod('leaving') });
    const deleted = await send('DELETE', '/api/v1/namespaces/db/pods/leaving');
    expect(
      (deleted.json.metadata as { deletionTimestamp?: string }).deletionTimestamp,
    ).toBeDefined();
    const table = await send('GET', '/api/v1/namespaces/db/pods/leaving', {
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
    });
    expect((table.json.rows as { cells: unknown[] }[])[0]?.cells[2]).toBe('Terminating');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await send('GET', '/api/v1/namespaces/db/pods/leaving')).status).toBe(404);
  });

  it('creates a namespace sent as Kubernetes protobuf by kubectl', async () => {
    const raw = Buffer.from(kubectlNamespaceBytes);
    raw[27] = 0x65; // "db" becomes "eb", so it does not collide with the namespace made above
    const reply = await send('POST', '/api/v1/namespaces', {
      raw,
      contentType: 'application/vnd.kubernetes.protobuf',
    });
    expect(reply.status).toBe(201);
    expect(reply.json.metadata).toMatchObject({
      name: 'eb',
      labels: { 'kubernetes.io/metadata.name': 'eb' },
    });
    expect(reply.json.status).toEqual({ phase: 'Active' });
  });
});

describe('lists over HTTP', () => {
  it('renders a Table with the CRD printer columns for kubectl get', async () => {
    await send('POST', clustersPath, { body: cluster('tabled') });
    const reply = await send('GET', `${clustersPath}?fieldSelector=metadata.name%3Dtabled`, {
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
    });
    expect(reply.json.kind).toBe('Table');
    expect(
      (reply.json.columnDefinitions as { name: string }[]).map((column) => column.name),
    ).toEqual(['Name', 'Age', 'Instances', 'Ready', 'Status', 'Primary']);
    expect((reply.json.rows as { cells: unknown[] }[])[0]?.cells).toEqual([
      'tabled',
      expect.stringMatching(/^\d+s$/),
      null,
      null,
      null,
      null,
    ]);
  });

  it('pages with limit and continue and reports the remaining count', async () => {
    const reply = await send('GET', `${clustersPath}?limit=1`);
    const metadata = reply.json.metadata as {
      continue?: string;
      remainingItemCount?: number;
      resourceVersion: string;
    };
    expect(reply.json.kind).toBe('ClusterList');
    expect((reply.json.items as unknown[]).length).toBe(1);
    expect(metadata.continue).toBeDefined();
    expect(metadata.remainingItemCount).toBeGreaterThan(0);
  });
});

describe('errors as Status objects', () => {
  const cases: [string, () => Promise<Reply>, number, string][] = [
    ['a missing object', () => send('GET', `${clustersPath}/missing`), 404, 'NotFound'],
    [
      'a duplicate name',
      async () => {
        await send('POST', clustersPath, { body: cluster('twice') });
        return send('POST', clustersPath, { body: cluster('twice') });
      },
      409,
      'AlreadyExists',
    ],
    [
      'a stale resourceVersion',
      async () => {
        await send('POST', clustersPath, { body: cluster('stale') });
        return send('PUT', `${clustersPath}/stale`, {
          body: cluster('stale', { metadata: { name: 'stale', resourceVersion: '1' } }),
        });
      },
      409,
      'Conflict',
    ],
    [
      'a name that is not a DNS subdomain',
      () => send('POST', clustersPath, { body: cluster('Bad_Name') }),
      422,
      'Invalid',
    ],
    [
      'malformed JSON',
      () => send('POST', clustersPath, { raw: Buffer.from('{"kind":') }),
      400,
      'BadRequest',
    ],
    [
      'a Pod posted to clusters',
      () => send('POST', clustersPath, { body: pod('wrong-kind') }),
      400,
      'BadRequest',
    ],
    [
      'a namespace mismatch',
      () =>
        send('POST', clustersPath, {
          body: cluster('x', { metadata: { name: 'x', namespace: 'other' } }),
        }),
      400,
      'BadRequest',
    ],
    [
      'an unsupported field selector',
      () => send('GET', `${clustersPath}?fieldSelector=spec.instances%3D1`),
      400,
      'BadRequest',
    ],
    [
      'a broken label selector',
      () => send('GET', `${clustersPath}?labelSelector=a%20in%20(`),
      400,
      'BadRequest',
    ],
    [
      'a strategic merge patch on a custom resource',
      () =>
        send('PATCH', `${clustersPath}/stale`, {
          body: {},
          contentType: 'application/strategic-merge-patch+json',
        }),
      415,
      'UnsupportedMediaType',
    ],
    [
      'a server-side apply patch without a field manager',
      () =>
        send('PATCH', `${clustersPath}/stale`, {
          body: {},
          contentType: 'application/apply-patch+yaml',
        }),
      422,
      'Invalid',
    ],
    [
      'an unknown body type',
      () => send('POST', clustersPath, { body: {}, contentType: 'text/plain' }),
      415,
      'UnsupportedMediaType',
    ],
    [
      'garbage protobuf',
      () =>
        send('POST', '/api/v1/namespaces', {
          raw: Buffer.from('k8s\u0000\u00ff\u00ff\u00ff'),
          contentType: 'application/vnd.kubernetes.protobuf',
        }),
      400,
      'BadRequest',
    ],
    [
      'POST to a named object',
      () => send('POST', `${clustersPath}/stale`, { body: cluster('stale') }),
      405,
      'MethodNotAllowed',
    ],
    [
      'a body over 3 MiB',
      () => send('POST', clustersPath, { raw: Buffer.alloc(3 * 1024 * 1024 + 1, 0x20) }),
      413,
      'RequestEntityTooLarge',
    ],
    [
      "an object over etcd's 1.5 MiB",
      () =>
        send('POST', clustersPath, {
          body: cluster('huge', {
            metadata: { name: 'huge', annotations: { big: 'x'.repeat(2 * 1024 * 1024) } },
          }),
        }),
      413,
      'RequestEntityTooLarge',
    ],
    [
      'an invalid continue token',
      () => send('GET', `${clustersPath}?limit=1&continue=garbage`),
      400,
      'BadRequest',
    ],
    [
      'an object in a missing namespace',
      () =>
        send('POST', '/apis/postgresql.cnpg.io/v1/namespaces/nowhere/clusters', {
          body: cluster('x'),
        }),
      404,
      'NotFound',
    ],
  ];

  it.each(cases)('answers %s with its status and reason', async (_label, act, code, reason) => {
    const reply = await act();
    expect(reply.status).toBe(code);
    expect(reply.json).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      code,
      reason,
    });
  });

  it('names the object in the Invalid message with the apiserver wording', async () => {
    const reply = await send('POST', clustersPath, { body: cluster('Bad_Name') });
    expect(reply.json.message).toMatch(
      /^Cluster\.postgresql\.cnpg\.io "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/,
    );
    expect(reply.json.details).toMatchObject({
      causes: [{ reason: 'FieldValueInvalid', field: 'metadata.name' }],
    });
  });

  it('answers injected 429s with Retry-After, then recovers', async () => {
    server.faults.failNext({ count: 2, status: 429, retryAfterSeconds: 3 });
    const first = await send('GET', clustersPath);
    const second = await send('GET', clustersPath);
    const third = await send('GET', clustersPath);
    expect([first.status, second.status, third.status]).toEqual([429, 429, 200]);
    expect(first.headers['retry-after']).toBe('3');
    expect(first.json).toMatchObject({
      reason: 'TooManyRequests',
      details: { retryAfterSeconds: 3 },
    });
  });

  it('answers injected 403, 500 and 503 with Forbidden, InternalError and ServiceUnavailable', async () => {
    server.faults.failNext({ count: 1, status: 403 });
    const denied = await send('GET', clustersPath);
    expect([denied.status, denied.json.reason]).toEqual([403, 'Forbidden']);
    server.faults.failNext({ count: 1, status: 500 });
    expect((await send('GET', clustersPath)).json.reason).toBe('InternalError');
    server.faults.failNext({ count: 1, status: 503 });
    expect((await send('GET', clustersPath)).json.reason).toBe('ServiceUnavailable');
  });
});

describe('the pod proxy', () => {
  it('hands requests for an existing pod to the exporter', async () => {
    await send('POST', '/api/v1/namespaces/db/pods', { body: pod('alpha-1') });
    const reply = await send('GET', '/api/v1/namespaces/db/pods/alpha-1:9187/proxy/metrics');
    expect([reply.status, reply.text]).toEqual([200, 'cnpg_collector_up 1\n']);
    expect(proxied.at(-1)).toEqual({
      namespace: 'db',
      pod: 'alpha-1',
      port: '9187',
      path: '/metrics',
    });
  });

  it('answers 404 NotFound for a pod that does not exist', async () => {
    const reply = await send('GET', '/api/v1/namespaces/db/pods/ghost:9187/proxy/metrics');
    expect([reply.status, reply.json.message]).toEqual([404, 'pods "ghost" not found']);
  });
});

describe('the control API', () => {
  it('sets API faults with a JSON POST', async () => {
    const reply = await send('POST', '/_sandbox/faults/api', {
      body: { type: 'failNext', count: 1, status: 503 },
    });
    expect(reply.status).toBe(200);
    expect((await send('GET', '/version')).status).toBe(503);
    expect((await send('GET', '/version')).status).toBe(200);
  });

  it('refuses unknown fault types with a 400 Status', async () => {
    const reply = await send('POST', '/_sandbox/faults/api', { body: { type: 'meteor' } });
    expect([reply.status, reply.json.reason]).toEqual([400, 'BadRequest']);
  });

  it('passes other /_sandbox/ paths to the control routes, else answers a JSON 404', async () => {
    expect((await send('POST', '/_sandbox/faults/exporter', { body: {} })).status).toBe(204);
    const missing = await send('GET', '/_sandbox/nothing');
    expect([missing.status, missing.json.kind]).toEqual([404, 'Status']);
  });
});

describe('hostile input', () => {
  it('survives random bodies, paths and content types and keeps serving', async () => {
    const paths = [
      clustersPath,
      `${clustersPath}/x`,
      '/api/v1/namespaces',
      '/api/v1/namespaces/db/pods/p/status',
      '/apis/%E0%A4%A',
      '/api/v1/namespaces/db/pods/p:1/proxy/../../x',
    ];
    const types = [
      'application/json',
      'application/vnd.kubernetes.protobuf',
      'application/merge-patch+json',
      'application/json-patch+json',
      'application/yaml',
    ];
    const methods = ['POST', 'PUT', 'PATCH', 'DELETE', 'GET'];
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 150; round++) {
      const raw = Buffer.from(
        Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256)),
      );
      const prefix =
        round % 3 === 0
          ? Buffer.from('k8s\u0000')
          : round % 3 === 1
            ? Buffer.from('{"metadata":')
            : Buffer.alloc(0);
      const reply = await send(
        methods[round % methods.length] ?? 'GET',
        paths[round % paths.length] ?? '/',
        {
          raw: Buffer.concat([prefix, raw]),
          contentType: types[round % types.length] ?? 'application/json',
        },
      );
      expect(reply.status).toBeGreaterThanOrEqual(200);
      expect(reply.status).toBeLessThan(500);
    }
    expect((await send('GET', '/version')).status).toBe(200);
  });
});
