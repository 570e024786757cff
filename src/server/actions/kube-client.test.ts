import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { ActionError } from './errors';
import { createObject, fetchCluster } from './cnpg-api';
import { kubeRequest, KubeTransportError } from './kube-client';
import { refusalToError, transportToError } from './kube-errors';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

const servers: http.Server[] = [];

async function kubeApi(handler: Handler): Promise<KubeConfig> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'test', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'test', token: 'test-token' }],
    contexts: [{ name: 'test', cluster: 'test', user: 'test' }],
    currentContext: 'test',
  });
  return kubeConfig;
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

function status(res: http.ServerResponse, code: number, body: object, headers: object = {}) {
  res.writeHead(code, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, ...body }));
}

async function refusalOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ActionError) {
      return { status: error.statusCode, text: error.message, retryAfter: error.retryAfterSeconds };
    }
    throw error;
  }
  throw new Error('expected a refusal');
}

const createBackup = (kubeConfig: KubeConfig) =>
  createObject(kubeConfig, {
    plural: 'backups',
    namespace: 'team-a',
    body: { kind: 'Backup' },
    context: { verb: 'create backups', namespace: 'team-a' },
  });

describe('Kubernetes calls of actions', () => {
  it('send the credentials and the body once, and return the created object', async () => {
    const seen: { method?: string; url?: string; auth?: string; body: string }[] = [];
    const kubeConfig = await kubeApi((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ metadata: { name: 'alpha-manual-abcde' } }));
      });
    });
    expect(await createBackup(kubeConfig)).toEqual({ metadata: { name: 'alpha-manual-abcde' } });
    expect(seen).toEqual([
      {
        method: 'POST',
        url: '/apis/postgresql.cnpg.io/v1/namespaces/team-a/backups?fieldValidation=Strict',
        auth: 'Bearer test-token',
        body: '{"kind":"Backup"}',
      },
    ]);
  });

  it('map Forbidden to 403 and Invalid to 400, with addresses redacted', async () => {
    const forbidden = await kubeApi((_req, res) =>
      status(res, 403, {
        reason: 'Forbidden',
        message: 'backups is forbidden: User "x" cannot create',
      }),
    );
    expect(await refusalOf(createBackup(forbidden))).toMatchObject({
      status: 403,
      text:
        'Deckhand is not allowed to create backups in namespace "team-a": ' +
        'backups is forbidden: User "x" cannot create',
    });
    const invalid = await kubeApi((_req, res) =>
      status(res, 422, {
        reason: 'Invalid',
        message: 'webhook https://10.0.0.5:9443/validate denied it',
      }),
    );
    expect(await refusalOf(createBackup(invalid))).toMatchObject({
      status: 400,
      text: 'webhook <redacted> denied it',
    });
  });

  it('map overload and server errors to 503, passing Retry-After on, and never retry', async () => {
    let calls = 0;
    const kubeConfig = await kubeApi((_req, res) => {
      calls += 1;
      status(res, 429, {
        reason: 'TooManyRequests',
        message: 'slow down',
        details: { retryAfterSeconds: 4 },
      });
    });
    expect(await refusalOf(createBackup(kubeConfig))).toEqual({
      status: 503,
      text: 'the Kubernetes API could not create backups right now: slow down',
      retryAfter: 4,
    });
    expect(calls).toBe(1);
  });

  it('map a missing object to the caller text', async () => {
    const kubeConfig = await kubeApi((_req, res) => status(res, 404, { reason: 'NotFound' }));
    expect(
      await refusalOf(fetchCluster(kubeConfig, { namespace: 'team-a', name: 'alpha' })),
    ).toMatchObject({
      status: 404,
      text: 'cluster "alpha" in namespace "team-a" not found',
    });
  });

  it('answer 503 when the API server cannot be reached', async () => {
    const kubeConfig = await kubeApi((req) => req.socket.destroy());
    expect(await refusalOf(createBackup(kubeConfig))).toMatchObject({
      status: 503,
      text: expect.stringMatching(
        /^the Kubernetes API could not create backups right now: it could not be reached/,
      ),
    });
  });
});

describe('a Kubernetes call that gets no answer', () => {
  it('times out, and a create says it may have happened anyway', async () => {
    const kubeConfig = await kubeApi(() => undefined);
    const failure = await kubeRequest(kubeConfig, {
      method: 'POST',
      path: '/apis/x',
      body: {},
      timeoutMs: 100,
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(KubeTransportError);
    const error = transportToError(failure as KubeTransportError, {
      verb: 'create clusters',
      namespace: 'team-b',
      isCreate: true,
    });
    expect([error.statusCode, error.message]).toEqual([
      503,
      'the Kubernetes API could not create clusters right now: it did ' +
        'not answer in time; the object may have been created anyway, ' +
        'check before trying again',
    ]);
  });

  it('stops reading an answer larger than any object it expects', async () => {
    const kubeConfig = await kubeApi((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(Buffer.alloc(5 * 1024 * 1024, 32));
    });
    await expect(kubeRequest(kubeConfig, { method: 'GET', path: '/apis/x' })).rejects.toThrow(
      'Kubernetes API answer too large',
    );
  });
});

describe('refusals from the API server', () => {
  it('word AlreadyExists the way the caller asks', () => {
    const error = refusalToError(
      {
        statusCode: 409,
        body: { reason: 'AlreadyExists', message: 'clusters "x" already exists' },
      },
      {
        verb: 'create clusters',
        namespace: 'team-b',
        alreadyExists: 'cluster "x" in namespace "team-b" already exists',
      },
    );
    expect([error.statusCode, error.message]).toEqual([
      409,
      'cluster "x" in namespace "team-b" already exists',
    ]);
  });

  it('treat a rejected credential as the server being unable to act, not the caller', () => {
    const error = refusalToError(
      { statusCode: 401, body: undefined },
      { verb: 'create clusters', namespace: 'team-b' },
    );
    expect(error.statusCode).toBe(503);
  });
});
