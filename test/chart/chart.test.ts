import { describe, expect, it } from 'vitest';
import { byKind, chartDir, one, render, renderError, runHelm, type Manifest } from './helm';

const fullExposure = {
  replicaCount: 2,
  ingress: {
    enabled: true,
    className: 'nginx',
    hosts: [{ host: 'deckhand.internal', paths: [{ path: '/', pathType: 'Prefix' }] }],
    tls: [{ secretName: 'deckhand-tls', hosts: ['deckhand.internal'] }],
  },
  networkPolicy: { enabled: true, apiServer: { cidrs: ['10.0.0.1/32'] } },
};

const selector = { 'app.kubernetes.io/name': 'deckhand', 'app.kubernetes.io/instance': 'deckhand' };

describe('chart', () => {
  it('passes helm lint --strict with the defaults and with every feature on', () => {
    expect(runHelm(['lint', '--strict', chartDir]).status).toBe(0);
    expect(runHelm(['lint', '--strict', chartDir], fullExposure).status).toBe(0);
  });

  it.each([
    ['a negative replica count', { replicaCount: -1 }, '/replicaCount'],
    ['an unknown top-level value', { replicas: 2 }, "additional properties 'replicas'"],
    ['an unknown scrape mode', { scrapeVia: 'sideways' }, '/scrapeVia'],
    ['an unknown auth mode', { auth: { mode: 'basic' } }, '/auth/mode'],
    ['a namespace that is not a DNS label', { watchNamespaces: ['Team_A'] }, '/watchNamespaces/0'],
    ['a scrape interval without a unit', { scrapeInterval: '30' }, '/scrapeInterval'],
    [
      'a restore stuck time that is not a duration',
      { restoreStuckAfter: 'soon' },
      '/restoreStuckAfter',
    ],
    ['a restore stuck time under a minute', { restoreStuckAfter: '30s' }, '/restoreStuckAfter'],
  ])('rejects %s through the values schema', (_what, values, path) => {
    expect(renderError(values)).toContain(path);
  });

  it('rejects `--set replicaCount=-1` on the command line', () => {
    const result = runHelm(['template', 'deckhand', chartDir, '--set', 'replicaCount=-1']);

    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("values don't meet the specifications of the schema");
  });

  it('requires trusted proxy addresses in proxy mode', () => {
    expect(renderError({ auth: { mode: 'proxy' } })).toContain('auth.trustedProxyCIDRs');
  });

  it('exposes the container port through a ClusterIP Service on port 80', () => {
    const service = one(render(), 'Service');

    expect(service.spec).toEqual({
      type: 'ClusterIP',
      selector,
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    });
  });

  it('creates no Ingress, NetworkPolicy or PodDisruptionBudget by default', () => {
    const kinds = render().map((manifest) => manifest.kind);

    expect(kinds.sort()).toEqual([
      'ClusterRole',
      'ClusterRole',
      'ClusterRoleBinding',
      'ClusterRoleBinding',
      'Deployment',
      'Pod',
      'Service',
      'ServiceAccount',
    ]);
  });

  it('keeps one pod up through disruptions when there are two replicas', () => {
    const budget = one(render(fullExposure), 'PodDisruptionBudget');

    expect(budget.spec).toEqual({ minAvailable: 1, selector: { matchLabels: selector } });
  });

  it('routes the Ingress host to the Service', () => {
    const ingress = one(render(fullExposure), 'Ingress');

    expect(ingress.spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ secretName: 'deckhand-tls', hosts: ['deckhand.internal'] }],
      rules: [
        {
          host: 'deckhand.internal',
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: 'deckhand', port: { name: 'http' } } },
              },
            ],
          },
        },
      ],
    });
  });

  it('lets in UI traffic and out only the API server, DNS and exporters', () => {
    const policy = one(render(fullExposure), 'NetworkPolicy');

    expect(policy.spec).toEqual({
      podSelector: { matchLabels: selector },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ ports: [{ port: 'http', protocol: 'TCP' }] }],
      egress: [
        {
          to: [{ ipBlock: { cidr: '10.0.0.1/32' } }],
          ports: [
            { port: 443, protocol: 'TCP' },
            { port: 6443, protocol: 'TCP' },
          ],
        },
        {
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: [
            { port: 53, protocol: 'UDP' },
            { port: 53, protocol: 'TCP' },
          ],
        },
        {
          to: [
            {
              podSelector: { matchLabels: { 'cnpg.io/podRole': 'instance' } },
              namespaceSelector: {},
            },
          ],
          ports: [{ port: 9187, protocol: 'TCP' }],
        },
      ],
    });
  });

  it('limits exporter egress to the watched namespaces', () => {
    const policy = one(render({ ...fullExposure, watchNamespaces: ['a', 'b'] }), 'NetworkPolicy');
    const egress = (policy.spec as { egress: { to: unknown[] }[] }).egress;

    expect(egress[2]!.to).toEqual([
      {
        podSelector: { matchLabels: { 'cnpg.io/podRole': 'instance' } },
        namespaceSelector: {
          matchExpressions: [
            { key: 'kubernetes.io/metadata.name', operator: 'In', values: ['a', 'b'] },
          ],
        },
      },
    ]);
  });

  it('opens no exporter egress when scraping through the API server', () => {
    const policy = one(render({ ...fullExposure, scrapeVia: 'proxy' }), 'NetworkPolicy');

    expect((policy.spec as { egress: unknown[] }).egress).toHaveLength(2);
  });

  it('requires the API server addresses for the NetworkPolicy', () => {
    expect(renderError({ networkPolicy: { enabled: true } })).toContain(
      'networkPolicy.apiServer.cidrs is required',
    );
  });

  it('labels every object with the release and chart version', () => {
    for (const manifest of render(fullExposure)) {
      expect(manifest.metadata.labels).toMatchObject({
        ...selector,
        'app.kubernetes.io/managed-by': 'Helm',
        'helm.sh/chart': 'deckhand-0.1.0',
      });
    }
    expect(byKind(render(fullExposure), 'Deployment')).toHaveLength(1);
  });

  it('ships a `helm test` pod that asks the Service for /healthz as the same restricted user', () => {
    const pod = one(render(), 'Pod') as Manifest & {
      metadata: { annotations: Record<string, string> };
      spec: { containers: { command: string[]; securityContext: unknown }[] };
    };
    const deployment = one(render(), 'Deployment') as Manifest & {
      spec: { template: { spec: { containers: { securityContext: unknown }[] } } };
    };

    expect(pod.metadata.annotations['helm.sh/hook']).toBe('test');
    expect(pod.spec.containers[0]!.command.at(-1)).toBe('http://deckhand.deckhand.svc:80/healthz');
    expect(pod.spec.containers[0]!.securityContext).toEqual(
      deployment.spec.template.spec.containers[0]!.securityContext,
    );
  });

  it('tells how to reach the UI after install', () => {
    const portForward = runHelm(['install', 'deckhand', chartDir, '--dry-run=client']);
    const ingress = runHelm(['install', 'deckhand', chartDir, '--dry-run=client'], fullExposure);

    expect(portForward.stdout).toContain(
      'kubectl --namespace default port-forward service/deckhand 8080:80',
    );
    expect(ingress.stdout).toContain('https://deckhand.internal/');
  });
});
