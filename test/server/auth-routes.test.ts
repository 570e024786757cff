// Authentication and authorization of the whole server against the sandbox,
// which answers TokenReview and SubjectAccessReview from a small policy:
// every route needs an identity outside the probes and the page, mutations
// are authorized for the person asking, and cross-site requests are refused.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { parsePolicy } from '../../src/sandbox/auth/policy';
import {
  cluster as clusterManifest,
  namespace as namespaceManifest,
  objectStoreBackup,
} from '../../src/sandbox/scenarios/manifests';
import type { AuthConfig, ServeConfig } from '../../src/server/config/serve-config';
import { startServer, type RunningServer } from '../../src/server/index';
import { startTestSandbox, waitFor, type TestSandbox } from '../support/sandbox';
import { testServeConfig } from '../support/serve-config';

const policy = parsePolicy(`
users:
  - { name: alice, token: alice-secret-token, groups: [dba] }
  - { name: bob, token: bob-secret-token, groups: [viewers] }
rules:
  - subjects: [{ group: dba }]
    verbs: [create, get]
    resources: [backups, clusters]
    namespaces: [team-a]
`);

const baseConfig: ServeConfig = testServeConfig();

function authConfig(mode: AuthConfig['mode'], trustedProxyCidrs: string[] = []): AuthConfig {
  return {
    mode,
    trustedProxyCidrs,
    userHeader: 'X-Forwarded-User',
    groupsHeader: 'X-Forwarded-Groups',
    sessionTtlMs: 3600_000,
  };
}

let sandbox: TestSandbox;
const servers: RunningServer[] = [];

async function serve(auth: AuthConfig, logLines?: string[]): Promise<RunningServer> {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines?.push(
        ...String(chunk)
          .split('\n')
          .filter((line) => line !== ''),
      );
      done();
    },
  });
  const logger = pino({ level: logLines === undefined ? 'silent' : 'info' }, sink);
  const server = await startServer(
    { ...baseConfig, auth },
    { kubeConfig: sandbox.kubeConfig, logger },
  );
  servers.push(server);
  await waitFor('the server to be ready', async () => {
    const response = await fetch(new URL('/readyz', server.url));
    return response.status === 200;
  });
  return server;
}

function backupCount(): number {
  const resource = sandbox.sandbox.store.resourceFor('postgresql.cnpg.io', 'backups');
  if (resource === undefined) throw new Error('the sandbox serves no backups');
  return sandbox.sandbox.store.list(resource, { namespace: 'team-a' }).items.length;
}

beforeAll(async () => {
  sandbox = await startTestSandbox({ accessPolicy: policy });
  sandbox.apply(namespaceManifest('team-a'));
  sandbox.apply(
    clusterManifest({
      namespace: 'team-a',
      name: 'alpha',
      instances: 1,
      spec: { backup: objectStoreBackup('s3://bucket/team-a/') },
    }),
  );
});

afterAll(async () => {
  for (const server of servers) await server.close();
  await sandbox?.close();
});

const protectedRoutes: [string, string][] = [
  ['GET', '/api'],
  ['GET', '/api/clusters'],
  ['GET', '/api/clusters/team-a/alpha'],
  ['GET', '/api/clusters/team-a/alpha/backups'],
  ['GET', '/api/clusters/team-a/alpha/metrics'],
  ['GET', '/api/clusters/team-a/alpha/metrics/history'],
  ['GET', '/api/clusters/team-a/alpha/restore'],
  ['GET', '/api/clusters/team-a/alpha/restore-status'],
  ['POST', '/api/clusters/team-a/alpha/backups'],
  ['POST', '/api/clusters/team-a/alpha/restore'],
  ['GET', '/metrics'],
];

describe.each(['proxy', 'token'] as const)('in %s mode without an identity', (mode) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await serve(authConfig(mode, mode === 'proxy' ? ['127.0.0.1/32', '::1'] : []));
  });

  it.each(protectedRoutes)('%s %s answers 401 with the envelope', async (method, path) => {
    const response = await fetch(new URL(path, server.url), {
      method,
      ...(method === 'POST' ? { headers: { 'content-type': 'application/json' }, body: '{}' } : {}),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toEqual({ error: 'authentication required' });
    expect(response.headers.get('x-deckhand-auth')).toBe(mode);
  });

  it('still answers the probes and the page', async () => {
    expect((await fetch(new URL('/healthz', server.url))).status).toBe(200);
    expect((await fetch(new URL('/readyz', server.url))).status).toBe(200);
    expect((await fetch(new URL('/clusters/team-a/alpha', server.url))).status).toBe(200);
  });

  it('refuses the live stream with 401', async () => {
    const socket = new WebSocket(new URL('/ws', server.url.replace('http', 'ws')));
    socket.on('error', () => undefined);
    const status = await new Promise<number>((resolve) =>
      socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0)),
    );
    expect(status).toBe(401);
  });
});

describe('the proxy mode', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await serve(authConfig('proxy', ['127.0.0.1/32', '::1']));
  });

  const as = (user: string, groups: string, extra: Record<string, string> = {}) => ({
    'x-forwarded-user': user,
    'x-forwarded-groups': groups,
    ...extra,
  });

  it('believes the proxy headers from a trusted address and says what the user may do', async () => {
    const response = await fetch(new URL('/api', server.url), { headers: as('alice', 'dba') });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      version: '0.1.0',
      auth: 'proxy',
      user: { name: 'alice', groups: ['dba'] },
      // alice's rights stop at team-a, so the cluster-wide answer is no.
      permissions: { readOnly: false, canCreateBackups: false, canRestore: false },
    });
  });

  it('answers for one namespace when asked, so namespace-scoped users see their actions', async () => {
    const permissionsIn = async (namespace: string) => {
      const response = await fetch(new URL(`/api?namespace=${namespace}`, server.url), {
        headers: as('alice', 'dba'),
      });
      expect(response.status).toBe(200);
      return ((await response.json()) as { permissions: unknown }).permissions;
    };

    expect(await permissionsIn('team-a')).toEqual({
      readOnly: false,
      canCreateBackups: true,
      canRestore: true,
    });
    expect(await permissionsIn('team-b')).toEqual({
      readOnly: false,
      canCreateBackups: false,
      canRestore: false,
    });
  });

  it('refuses an invalid namespace in the permissions question', async () => {
    const response = await fetch(new URL('/api?namespace=Team_A', server.url), {
      headers: as('alice', 'dba'),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error:
        'namespace "Team_A" must be a lowercase RFC 1123 label (a-z, 0-9 and "-", starting and ending with a letter or digit)',
    });
  });

  it('ignores the headers from an address it does not trust', async () => {
    const untrusting = await serve(authConfig('proxy', ['10.0.0.0/8']));
    const response = await fetch(new URL('/api/clusters', untrusting.url), {
      headers: as('alice', 'dba'),
    });
    expect(response.status).toBe(401);
  });

  it('refuses a backup the user may not create, and creates nothing', async () => {
    const before = backupCount();
    const response = await fetch(new URL('/api/clusters/team-a/alpha/backups', server.url), {
      method: 'POST',
      headers: as('bob', 'viewers', { 'content-type': 'application/json' }),
      body: '{}',
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      error: 'user "bob" may not create backups in namespace "team-a"',
    });
    expect(backupCount()).toBe(before);
  });

  it('refuses a restore into a namespace the user may not create clusters in', async () => {
    const response = await fetch(new URL('/api/clusters/team-a/alpha/restore', server.url), {
      method: 'POST',
      headers: as('alice', 'dba', { 'content-type': 'application/json' }),
      body: JSON.stringify({ backupName: 'x', targetNamespace: 'team-b', targetName: 'copy' }),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      error: 'user "alice" may not restore backups of namespace "team-a" into namespace "team-b"',
    });
  });

  it('creates a backup the user may create', async () => {
    const before = backupCount();
    const response = await fetch(new URL('/api/clusters/team-a/alpha/backups', server.url), {
      method: 'POST',
      headers: as('alice', 'dba', { 'content-type': 'application/json' }),
      body: '{}',
    });
    expect(response.status).toBe(201);
    expect(backupCount()).toBe(before + 1);
  });

  it('refuses a mutation from a foreign page, and a body that is not JSON', async () => {
    const url = new URL('/api/clusters/team-a/alpha/backups', server.url);
    const foreign = await fetch(url, {
      method: 'POST',
      headers: as('alice', 'dba', {
        'content-type': 'application/json',
        origin: 'https://evil.example.com',
      }),
      body: '{}',
    });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toEqual({ error: 'cross-origin request refused' });

    const text = await fetch(url, {
      method: 'POST',
      headers: as('alice', 'dba', { 'content-type': 'text/plain' }),
      body: '{}',
    });
    expect(text.status).toBe(415);
  });

  it('refuses the live stream from a foreign page and opens it for a known user', async () => {
    const wsUrl = new URL('/ws', server.url.replace('http', 'ws'));
    const foreign = new WebSocket(wsUrl, {
      headers: { ...as('alice', 'dba'), origin: 'https://evil.example.com' },
    });
    foreign.on('error', () => undefined);
    const status = await new Promise<number>((resolve) =>
      foreign.once('unexpected-response', (_request, response) =>
        resolve(response.statusCode ?? 0),
      ),
    );
    expect(status).toBe(403);

    const known = new WebSocket(wsUrl, { headers: as('alice', 'dba') });
    await new Promise((resolve, reject) => {
      known.once('open', resolve);
      known.once('error', reject);
    });
    known.close();
  });
});

describe('the token mode', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await serve(authConfig('token'));
  });

  async function signIn(token: string): Promise<Response> {
    return fetch(new URL('/api/session', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
  }

  it('refuses a token the API server does not know', async () => {
    const response = await signIn('not-a-known-token');
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'token was not accepted' });
  });

  it('signs in with a session cookie that the page cannot read', async () => {
    const response = await signIn('alice-secret-token');
    expect(response.status).toBe(201);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(
      /^deckhand_session=[A-Za-z0-9_-]+; Path=\/; HttpOnly; Secure; SameSite=Strict/,
    );
    expect(cookie).not.toContain('alice-secret-token');

    const session = cookie.split(';', 1)[0] ?? '';
    const clusters = await fetch(new URL('/api/clusters', server.url), {
      headers: { cookie: session },
    });
    expect(clusters.status).toBe(200);
  });

  it('accepts a bearer token from scripts', async () => {
    const response = await fetch(new URL('/api/clusters', server.url), {
      headers: { authorization: 'Bearer bob-secret-token' },
    });
    expect(response.status).toBe(200);
  });

  it('closes the live stream when its session ends', async () => {
    const signedIn = await signIn('alice-secret-token');
    const session = (signedIn.headers.get('set-cookie') ?? '').split(';', 1)[0] ?? '';
    const socket = new WebSocket(new URL('/ws', server.url.replace('http', 'ws')), {
      headers: { cookie: session },
    });
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));

    const signOut = await fetch(new URL('/api/session', server.url), {
      method: 'DELETE',
      headers: { cookie: session },
    });
    expect(signOut.status).toBe(204);
    expect(await closed).toBe(1008);

    const after = await fetch(new URL('/api/clusters', server.url), {
      headers: { cookie: session },
    });
    expect(after.status).toBe(401);
  });

  it('clears the cookie on sign-out even when the session is already gone', async () => {
    const response = await fetch(new URL('/api/session', server.url), {
      method: 'DELETE',
      headers: { cookie: 'deckhand_session=no-such-session' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('set-cookie')).toContain('deckhand_session=; Path=/');
  });
});

describe('the audit trail', () => {
  const logLines: string[] = [];
  let server: RunningServer;
  beforeAll(async () => {
    server = await serve(authConfig('proxy', ['127.0.0.1/32', '::1']), logLines);
  });

  function auditLines(): Record<string, unknown>[] {
    return logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.audit === true && entry.msg === 'mutation');
  }

  it('records who asked for what, where, and how it ended, refusals included', async () => {
    const url = new URL('/api/clusters/team-a/alpha/backups', server.url);
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-forwarded-user': 'bob',
        'x-forwarded-groups': 'viewers',
      },
      body: '{}',
    });

    await waitFor('two audit lines', () => auditLines().length >= 2);
    expect(
      auditLines().map(({ user, action, namespace, cluster, statusCode, outcome }) => ({
        user,
        action,
        namespace,
        cluster,
        statusCode,
        outcome,
      })),
    ).toEqual([
      {
        user: 'anonymous',
        action: 'create-backup',
        namespace: 'team-a',
        cluster: 'alpha',
        statusCode: 401,
        outcome: 'refused',
      },
      {
        user: 'bob',
        action: 'create-backup',
        namespace: 'team-a',
        cluster: 'alpha',
        statusCode: 403,
        outcome: 'refused',
      },
    ]);
  });
});
