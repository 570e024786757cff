import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateCertificates, type SandboxCertificates } from '../../src/sandbox/tls/certs';
import { EndpointFactory } from '../../src/server/metrics/endpoints';
import { fetchExposition, type FetchOutcome } from '../../src/server/metrics/fetch';
import { WANTED_METRICS } from '../../src/server/metrics/readings';
import type { TargetSpec } from '../../src/server/metrics/targets';
import { cnpgExposition } from './scrape-exporters';

const limits = { timeoutMs: 2000, maxBodyBytes: 1 << 20, wanted: WANTED_METRICS };
const servers: (http.Server | https.Server)[] = [];
const factories: EndpointFactory[] = [];

afterEach(async () => {
  for (const factory of factories.splice(0)) factory.close();
  await Promise.all(
    servers
      .splice(0)
      .map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
  );
});

function aSpec(port: number, overrides: Partial<TargetSpec> = {}): TargetSpec {
  return {
    uid: 'uid-alpha-1',
    namespace: 'team-a',
    clusterName: 'alpha',
    podName: 'alpha-1',
    podIP: '127.0.0.1',
    port,
    isTls: false,
    ...overrides,
  };
}

async function listen<T extends http.Server | https.Server>(server: T): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function scrapeWith(factory: EndpointFactory, spec: TargetSpec): Promise<FetchOutcome> {
  factories.push(factory);
  return fetchExposition(await factory.endpoint(spec), limits);
}

function errorOf(outcome: FetchOutcome): string {
  if (outcome.isOk) throw new Error('expected the scrape to fail');
  return outcome.error.replace(/:\d+\//, ':PORT/');
}

let alphaCerts: SandboxCertificates;
let betaCerts: SandboxCertificates;

beforeAll(async () => {
  [alphaCerts, betaCerts] = await Promise.all([
    generateCertificates({ hosts: ['alpha-rw'] }),
    generateCertificates({ hosts: ['beta-rw'] }),
  ]);
});

describe('direct scrapes of an exporter serving TLS (spec.monitoring.tls.enabled)', () => {
  async function tlsExporter(certs: SandboxCertificates): Promise<number> {
    const server = https.createServer(
      { cert: certs.certPem, key: certs.keyPem },
      (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/plain' }).end(cnpgExposition());
      },
    );
    return listen(server);
  }

  it('verifies the certificate against the configured CA bundle and the <cluster>-rw name', async () => {
    const port = await tlsExporter(alphaCerts);
    const factory = new EndpointFactory({
      scrapeVia: 'direct',
      kubeConfig: new KubeConfig(),
      caBundle: Buffer.from(alphaCerts.caPem),
    });
    const outcome = await scrapeWith(factory, aSpec(port, { isTls: true }));
    expect(outcome.isOk).toBe(true);
  });

  it('refuses a certificate from a CA that is not configured', async () => {
    const port = await tlsExporter(alphaCerts);
    const factory = new EndpointFactory({ scrapeVia: 'direct', kubeConfig: new KubeConfig() });
    const outcome = await scrapeWith(factory, aSpec(port, { isTls: true }));
    expect(errorOf(outcome)).toMatch(
      /^scrape https:\/\/<redacted>:PORT\/metrics: TLS certificate is not trusted \(.+\)$/,
    );
  });

  it("refuses a trusted certificate issued for another cluster's service", async () => {
    const port = await tlsExporter(betaCerts);
    const factory = new EndpointFactory({
      scrapeVia: 'direct',
      kubeConfig: new KubeConfig(),
      caBundle: Buffer.from(betaCerts.caPem),
    });
    const outcome = await scrapeWith(factory, aSpec(port, { isTls: true }));
    expect(errorOf(outcome)).toBe(
      'scrape https://<redacted>:PORT/metrics: TLS certificate does not match the expected name',
    );
  });
});

describe('direct scrapes over IPv6', () => {
  it('brackets the pod IP in the URL', async () => {
    const factory = new EndpointFactory({ scrapeVia: 'direct', kubeConfig: new KubeConfig() });
    factories.push(factory);
    const target = await factory.endpoint(aSpec(9187, { podIP: 'fd00::1:2' }));
    expect(target.url.href).toBe('http://[fd00::1:2]:9187/metrics');
    expect(target.displayUrl).toBe('http://<redacted>:9187/metrics');
  });
});

describe('scrapes through the API server pod proxy', () => {
  let seen: { url?: string; authorization?: string }[] = [];

  function kubeConfigFor(port: number, proxyUrl?: string): KubeConfig {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [
        {
          name: 'test',
          server: `https://127.0.0.1:${port}`,
          caData: Buffer.from(alphaCerts.caPem).toString('base64'),
          skipTLSVerify: false,
          ...(proxyUrl === undefined ? {} : { proxyUrl }),
        },
      ],
      users: [{ name: 'test', token: 'secret-token' }],
      contexts: [{ name: 'test', cluster: 'test', user: 'test' }],
      currentContext: 'test',
    });
    return kubeConfig;
  }

  async function apiServer(status: number): Promise<number> {
    seen = [];
    const tls = { cert: alphaCerts.certPem, key: alphaCerts.keyPem };
    const server = https.createServer(tls, (request, response) => {
      seen.push({ url: request.url, authorization: request.headers.authorization });
      response.writeHead(status, { 'content-type': 'text/plain' }).end(cnpgExposition());
    });
    return listen(server);
  }

  it("asks for the pod's metrics port through the proxy subresource with the kubeconfig's credentials", async () => {
    const port = await apiServer(200);
    const factory = new EndpointFactory({ scrapeVia: 'proxy', kubeConfig: kubeConfigFor(port) });
    const outcome = await scrapeWith(factory, aSpec(9187, { podIP: undefined }));

    expect(outcome.isOk).toBe(true);
    expect(seen).toEqual([
      {
        url: '/api/v1/namespaces/team-a/pods/alpha-1:9187/proxy/metrics',
        authorization: 'Bearer secret-token',
      },
    ]);
  });

  it("goes through the kubeconfig's proxy-url when it names one", async () => {
    const port = await apiServer(200);
    const tunnels: string[] = [];
    const sockets: net.Socket[] = [];
    const forwardProxy = http.createServer();
    forwardProxy.on('connect', (request: http.IncomingMessage, client: net.Socket, head) => {
      tunnels.push(request.url ?? '');
      sockets.push(client);
      const [host = '', targetPort = ''] = (request.url ?? '').split(':');
      const upstream = net.connect(Number(targetPort), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client).pipe(upstream);
      });
      sockets.push(upstream);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    const proxyPort = await listen(forwardProxy);
    const kubeConfig = kubeConfigFor(port, `http://127.0.0.1:${proxyPort}`);
    const factory = new EndpointFactory({ scrapeVia: 'proxy', kubeConfig });

    const first = await scrapeWith(factory, aSpec(9187));
    const second = await fetchExposition(await factory.endpoint(aSpec(9187)), limits);
    for (const socket of sockets) socket.destroy();

    expect([first.isOk, second.isOk]).toEqual([true, true]);
    // One tunnel, kept open for the second scrape.
    expect(tunnels).toEqual([`127.0.0.1:${port}`]);
    expect(seen.map((request) => request.authorization)).toEqual([
      'Bearer secret-token',
      'Bearer secret-token',
    ]);
  });

  it('asks the API server to use TLS towards an exporter that serves it', async () => {
    const port = await apiServer(200);
    const factory = new EndpointFactory({ scrapeVia: 'proxy', kubeConfig: kubeConfigFor(port) });
    await scrapeWith(factory, aSpec(9187, { isTls: true }));
    expect(seen[0]?.url).toBe('/api/v1/namespaces/team-a/pods/https:alpha-1:9187/proxy/metrics');
  });

  it('keeps a path prefix of the API server URL', async () => {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [{ name: 'test', server: 'https://127.0.0.1:6443/k8s/clusters/c-1/' }],
      users: [{ name: 'test', token: 'secret-token' }],
      contexts: [{ name: 'test', cluster: 'test', user: 'test' }],
      currentContext: 'test',
    });
    const factory = new EndpointFactory({ scrapeVia: 'proxy', kubeConfig });
    factories.push(factory);
    const target = await factory.endpoint(aSpec(9187));
    expect(target.url.pathname).toBe(
      '/k8s/clusters/c-1/api/v1/namespaces/team-a/pods/alpha-1:9187/proxy/metrics',
    );
  });

  it('reports proxy errors with the API server address redacted', async () => {
    const port = await apiServer(503);
    const factory = new EndpointFactory({ scrapeVia: 'proxy', kubeConfig: kubeConfigFor(port) });
    const outcome = await scrapeWith(factory, aSpec(9187));
    expect(errorOf(outcome)).toBe(
      'scrape https://<redacted>:PORT/api/v1/namespaces/team-a/pods/alpha-1:9187/proxy/metrics: HTTP 503',
    );
  });
});
