// The HTTP edge over a real socket: Fastify's own errors in the contract's
// envelope, security headers, ETags and the UI fallback.
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { aCluster } from './api-fixtures';
import { aWebRoot, buildTestApp, type TestApp } from './api-app-support';

interface RawResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let current: TestApp | undefined;
afterEach(async () => {
  await current?.app.close();
  current = undefined;
});

async function listening(
  options: Parameters<typeof buildTestApp>[0] = {},
): Promise<TestApp & { port: number }> {
  current = await buildTestApp(options);
  await current.app.listen({ host: '127.0.0.1', port: 0 });
  return { ...current, port: (current.app.server.address() as AddressInfo).port };
}

/** Sends the path as written (node:http does not normalize `..`). */
function raw(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
) {
  return new Promise<RawResponse>((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            statusCode: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

function expectEnvelope(response: RawResponse, statusCode: number, error: string | RegExp): void {
  expect(response.statusCode).toBe(statusCode);
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  const body = JSON.parse(response.body) as { error: string };
  expect(Object.keys(body)).toEqual(['error']);
  if (typeof error === 'string') expect(body.error).toBe(error);
  else expect(body.error).toMatch(error);
}

describe('errors in the contract envelope', () => {
  it('answers unknown API routes with a JSON 404', async () => {
    const { port } = await listening();
    expectEnvelope(await raw(port, { path: '/api/nope' }), 404, 'route not found');
    expectEnvelope(
      await raw(port, { path: '/api/clusters/team-a/alpha/nope/deeper' }),
      404,
      'route not found',
    );
  });

  it('answers a known path with the wrong method with 405 and Allow', async () => {
    const { port } = await listening();
    const response = await raw(port, { method: 'DELETE', path: '/api/clusters' });
    expectEnvelope(response, 405, 'method not allowed');
    expect(response.headers.allow).toBe('GET, HEAD');
  });

  it('rejects a literal parent segment in a cluster path with 400', async () => {
    const { port } = await listening();
    expectEnvelope(
      await raw(port, { path: '/api/clusters/team-a/..' }),
      400,
      /^name "\.\." must be/,
    );
  });

  it('answers malformed JSON, unsupported media types and huge bodies without a stack trace', async () => {
    const { port, app } = await listening({
      routeModules: [(a) => void a.post('/api/echo', async (request) => ({ got: request.body }))],
    });
    expect(app.hasRoute({ method: 'POST', url: '/api/echo' })).toBe(true);
    const json = { 'content-type': 'application/json' };
    expectEnvelope(
      await raw(port, { method: 'POST', path: '/api/echo', headers: json, body: '{"a":' }),
      400,
      'request body is not valid JSON',
    );
    expectEnvelope(
      await raw(port, {
        method: 'POST',
        path: '/api/echo',
        headers: { 'content-type': 'application/xml' },
        body: '<a/>',
      }),
      415,
      'unsupported content type',
    );
    const huge = JSON.stringify({ pad: 'x'.repeat(128 * 1024) });
    expectEnvelope(
      await raw(port, { method: 'POST', path: '/api/echo', headers: json, body: huge }),
      413,
      'request body is too large',
    );
  });

  it('answers an over-long URL with 414', async () => {
    const { port } = await listening();
    expectEnvelope(
      await raw(port, { path: `/api/clusters?namespace=${'a'.repeat(9000)}` }),
      414,
      'request URL is too long',
    );
  });

  it('answers a URL beyond the header size limit in the same envelope', async () => {
    const { port } = await listening();
    const response = await raw(port, { path: `/api/clusters?namespace=${'a'.repeat(20_000)}` });
    expectEnvelope(response, 431, 'request headers (or URL) are too large');
  });

  it('hides the details of unexpected failures behind a bare 500', async () => {
    const { port } = await listening({
      routeModules: [
        (a) =>
          void a.get('/api/boom', async () => {
            throw new Error('secret at 10.1.2.3:5432');
          }),
      ],
    });
    const response = await raw(port, { path: '/api/boom' });
    expectEnvelope(response, 500, 'internal server error');
    expect(response.body).not.toContain('10.1.2.3');
  });
});

describe('security headers', () => {
  it('sets them on API answers, errors and the page', async () => {
    const { port } = await listening({ webRoot: aWebRoot() });
    for (const path of ['/api/clusters', '/api/nope', '/', '/healthz']) {
      const response = await raw(port, { path });
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['content-security-policy']).toContain(
        "default-src 'self'; script-src 'self'; style-src 'self'",
      );
      expect(response.headers['content-security-policy']).toContain(
        `connect-src 'self' ws://127.0.0.1:${port} wss://127.0.0.1:${port}`,
      );
      expect(response.headers['content-security-policy']).toContain(
        "object-src 'none'; base-uri 'none'",
      );
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    }
    expect((await raw(port, { path: '/api/clusters' })).headers['cache-control']).toBe('no-store');
    expect((await raw(port, { path: '/readyz' })).headers['cache-control']).toBe('no-store');
    expect((await raw(port, { path: '/' })).headers['cache-control']).toBe('no-cache');
  });
});

describe('response caching', () => {
  it('sends a strong ETag and 304 for a matching If-None-Match until the store changes', async () => {
    const { port, store } = await listening();
    store.put('clusters', aCluster());
    const first = await raw(port, { path: '/api/clusters' });
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);

    const again = await raw(port, { path: '/api/clusters', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');

    store.put('clusters', aCluster({ readyInstances: 1 }));
    const changed = await raw(port, { path: '/api/clusters', headers: { 'if-none-match': etag } });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(JSON.parse(changed.body).items[0].readyInstances).toBe(1);
  });
});

describe('the web UI', () => {
  it('serves files with their types and immutable caching for hashed assets', async () => {
    const { port } = await listening({ webRoot: aWebRoot() });
    const asset = await raw(port, { path: '/assets/index-AbCdEf12.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.body).toBe('console.log("ui")');
    expect((await raw(port, { path: '/favicon.svg' })).headers['content-type']).toBe(
      'image/svg+xml',
    );
  });

  it('answers client-side routes with index.html and missing files with 404', async () => {
    const { port } = await listening({ webRoot: aWebRoot() });
    const page = await raw(port, { path: '/clusters/team-a/alpha' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('Deckhand UI');
    expectEnvelope(
      await raw(port, { path: '/assets/missing-12345678.js' }),
      404,
      'route not found',
    );
  });

  it('refuses paths that try to leave the web root', async () => {
    const { port } = await listening({ webRoot: aWebRoot() });
    expectEnvelope(
      await raw(port, { path: '/../../etc/passwd' }),
      400,
      'request path must not contain ".." segments',
    );
    expectEnvelope(
      await raw(port, { path: '/%2e%2e/%2e%2e/etc/passwd' }),
      400,
      'request path must not contain ".." segments',
    );
  });

  it('serves a placeholder page when the UI is not built', async () => {
    const { port } = await listening({ webRoot: '/nonexistent-web-root' });
    const page = await raw(port, { path: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('The web UI is not built');
  });
});
