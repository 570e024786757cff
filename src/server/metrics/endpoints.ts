// Turns a target into a request: straight to the pod IP (`direct`, when
// Deckhand runs inside the cluster) or through the API server's pod proxy
// subresource (`proxy`, from a workstation; needs `pods/proxy` get).
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import { redactedUrl } from './errors';
import type { FetchTarget } from './fetch';
import type { ScrapeVia, TargetSpec } from './targets';

export interface EndpointOptions {
  scrapeVia: ScrapeVia;
  kubeConfig: KubeConfig;
  /** PEM bundle trusted for exporters with `spec.monitoring.tls.enabled`; system roots when absent. */
  caBundle?: Buffer;
  /** How long to wait for a kubeconfig `proxy-url` proxy to open a tunnel (default 5 s). */
  connectTimeoutMs?: number;
}

/** How long the API server credentials taken from the kubeconfig are reused. */
const CREDENTIALS_TTL_MS = 10_000;

type ProxyCredentials = Pick<
  https.RequestOptions,
  'ca' | 'cert' | 'key' | 'servername' | 'rejectUnauthorized'
> & { headers: Record<string, string> };

export class EndpointFactory {
  private readonly httpAgent = new http.Agent({
    keepAlive: true,
    maxSockets: 1,
    scheduling: 'lifo',
  });
  private readonly httpsAgent = new https.Agent({
    keepAlive: true,
    maxSockets: 1,
    scheduling: 'lifo',
  });
  private readonly proxyAgent = new https.Agent({ keepAlive: true, maxSockets: 16 });
  /**
   * Tunnels through the kubeconfig's `proxy-url` to the API server, when it
   * names one. Built here rather than taken from client-node, whose agent
   * keeps no connection alive, has no socket cap and waits for ever for the
   * proxy's answer; the TLS material of each request is passed with it.
   */
  private forwardingAgent: http.Agent | undefined;
  private credentials: { value: ProxyCredentials; expiresAt: number } | undefined;

  constructor(private readonly options: EndpointOptions) {}

  async endpoint(spec: TargetSpec): Promise<FetchTarget> {
    return this.options.scrapeVia === 'direct' ? this.direct(spec) : this.proxy(spec);
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
    this.proxyAgent.destroy();
    this.forwardingAgent?.destroy();
  }

  private direct(spec: TargetSpec): FetchTarget {
    const ip = spec.podIP ?? '';
    const host = ip.includes(':') ? `[${ip}]` : ip;
    const url = new URL(`${spec.isTls ? 'https' : 'http'}://${host}:${spec.port}/metrics`);
    const target: FetchTarget = {
      url,
      displayUrl: redactedUrl(url),
      agent: spec.isTls ? this.httpsAgent : this.httpAgent,
    };
    if (spec.isTls) {
      // CNPG's exporter presents the Postgres server certificate, issued for
      // the `<cluster>-rw` service, never for the pod IP.
      target.tls = { servername: `${spec.clusterName}-rw`, rejectUnauthorized: true };
      if (this.options.caBundle !== undefined) target.tls.ca = this.options.caBundle;
    }
    return target;
  }

  private async proxy(spec: TargetSpec): Promise<FetchTarget> {
    const server = this.options.kubeConfig.getCurrentCluster()?.server;
    if (server === undefined || server === '')
      throw new Error('the kubeconfig names no API server');
    // `https:` before the pod name makes the API server talk TLS to the exporter.
    const podRef = `${spec.isTls ? 'https:' : ''}${encodeURIComponent(spec.podName)}:${spec.port}`;
    const path = `/api/v1/namespaces/${encodeURIComponent(spec.namespace)}/pods/${podRef}/proxy/metrics`;
    // Appended, not resolved: an API server behind a path prefix (Rancher,
    // some gateways) keeps its prefix.
    const url = new URL(`${server.replace(/\/+$/, '')}${path}`);
    const { headers, ...tls } = await this.proxyCredentials();
    return {
      url,
      displayUrl: redactedUrl(url),
      agent: this.agentFor(url),
      headers,
      tls,
    };
  }

  private agentFor(url: URL): http.Agent {
    const proxyUrl = this.options.kubeConfig.getCurrentCluster()?.proxyUrl;
    const isHttps = url.protocol === 'https:';
    if (proxyUrl === undefined || proxyUrl === '')
      return isHttps ? this.proxyAgent : this.httpAgent;
    if (this.forwardingAgent === undefined) {
      // As many tunnels as direct connections; the timeout bounds the wait
      // for the proxy's CONNECT answer (and idle tunnels).
      const options = {
        proxy: proxyUrl,
        keepAlive: true,
        maxSockets: 16,
        timeout: this.options.connectTimeoutMs ?? 5_000,
      };
      this.forwardingAgent = isHttps ? new HttpsProxyAgent(options) : new HttpProxyAgent(options);
    }
    return this.forwardingAgent;
  }

  /** TLS material and auth headers from the kubeconfig (tokens may rotate, hence the TTL). */
  private async proxyCredentials(): Promise<ProxyCredentials> {
    const now = Date.now();
    if (this.credentials !== undefined && this.credentials.expiresAt > now) {
      return this.credentials.value;
    }
    const applied: https.RequestOptions = {};
    await this.options.kubeConfig.applyToHTTPSOptions(applied);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(applied.headers ?? {})) {
      if (typeof value === 'string' || typeof value === 'number') headers[name] = String(value);
    }
    if (applied.auth !== undefined && applied.auth !== null) {
      headers.Authorization = `Basic ${Buffer.from(applied.auth).toString('base64')}`;
    }
    const value: ProxyCredentials = { headers };
    if (applied.ca !== undefined) value.ca = applied.ca;
    if (applied.cert !== undefined) value.cert = applied.cert;
    if (applied.key !== undefined) value.key = applied.key;
    if (applied.servername !== undefined) value.servername = applied.servername;
    if (applied.rejectUnauthorized !== undefined) {
      value.rejectUnauthorized = applied.rejectUnauthorized;
    }
    this.credentials = { value, expiresAt: now + CREDENTIALS_TTL_MS };
    return value;
  }
}
