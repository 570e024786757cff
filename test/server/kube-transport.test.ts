// How every request to the API server is prepared from a kubeconfig: the
// server's path prefix kept, credentials applied, our headers on top.
import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { prepareRequest, readCapped, BodyTooLargeError } from '../../src/server/kube/transport';

function kubeConfigFor(server: string, proxyUrl?: string): KubeConfig {
  const config = new KubeConfig();
  // client-node accepts a plain-HTTP server only with TLS verification off.
  const skipTLSVerify = server.startsWith('http:');
  config.loadFromOptions({
    clusters: [
      { name: 'c', server, skipTLSVerify, ...(proxyUrl === undefined ? {} : { proxyUrl }) },
    ],
    users: [{ name: 'u', token: 'secret-token' }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
    currentContext: 'ctx',
  });
  return config;
}

describe('preparing a request to the API server', () => {
  it('keeps the server path prefix and the query, and adds the bearer token', async () => {
    const { url, options } = await prepareRequest(
      kubeConfigFor('https://rancher.example/k8s/clusters/c-1/'),
      {
        method: 'GET',
        path: '/api/v1/pods?limit=500',
        headers: { accept: 'application/json' },
      },
    );
    expect(url.href).toBe('https://rancher.example/k8s/clusters/c-1/api/v1/pods?limit=500');
    expect(options.method).toBe('GET');
    expect(options.headers).toMatchObject({
      accept: 'application/json',
      Authorization: 'Bearer secret-token',
    });
    expect(options.agent).toBeDefined();
  });

  it('leaves the HTTPS agent out for a plain-HTTP server', async () => {
    const { url, options } = await prepareRequest(kubeConfigFor('http://127.0.0.1:8001'), {
      method: 'POST',
      path: '/apis/postgresql.cnpg.io/v1/namespaces/a/backups',
    });
    expect(url.protocol).toBe('http:');
    expect(options.agent).toBeUndefined();
  });

  it("keeps the agent that reaches a plain-HTTP server through the kubeconfig's proxy-url", async () => {
    const { options } = await prepareRequest(
      kubeConfigFor('http://api.internal:8001', 'http://proxy.internal:3128'),
      { method: 'GET', path: '/version' },
    );
    expect(options.agent).toBeDefined();
  });

  it('refuses a kubeconfig without a server', async () => {
    await expect(
      prepareRequest(new KubeConfig(), { method: 'GET', path: '/version' }),
    ).rejects.toThrow('kubeconfig names no cluster server');
  });
});

describe('reading a capped body', () => {
  async function* chunks(sizes: number[]) {
    for (const size of sizes) yield Buffer.alloc(size, 'a');
  }

  it('returns the text within the cap and stops past it, dropping the connection', async () => {
    expect(await readCapped(chunks([3, 4]), { maxBytes: 7, discard: () => undefined })).toBe(
      'aaaaaaa',
    );
    let discarded = false;
    await expect(
      readCapped(chunks([4, 4]), { maxBytes: 7, discard: () => (discarded = true) }),
    ).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(discarded).toBe(true);
  });
});
