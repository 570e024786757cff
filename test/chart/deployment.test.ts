import { describe, expect, it } from 'vitest';
import { one, render, renderError, type Manifest } from './helm';

interface Container {
  image: string;
  args: string[];
  env?: { name: string; value: string }[];
  ports: { name: string; containerPort: number }[];
  securityContext: Record<string, unknown>;
  resources: Record<string, unknown>;
  volumeMounts: { name: string; mountPath: string }[];
  livenessProbe: Record<string, unknown>;
  readinessProbe: Record<string, unknown>;
  startupProbe: Record<string, unknown>;
}

interface PodSpec {
  serviceAccountName: string;
  automountServiceAccountToken: boolean;
  terminationGracePeriodSeconds: number;
  securityContext: Record<string, unknown>;
  containers: Container[];
  volumes: { name: string; emptyDir?: Record<string, unknown> }[];
}

function podSpec(manifests: Manifest[]): PodSpec {
  const deployment = one(manifests, 'Deployment') as Manifest & {
    spec: { template: { spec: PodSpec } };
  };
  return deployment.spec.template.spec;
}

function container(values: object = {}): Container {
  return podSpec(render(values)).containers[0]!;
}

// A null value is how Helm users remove a default, here the memory limit.
function nodeOptions(memoryLimit: string | null): string | undefined {
  const limits = { memory: memoryLimit };
  const env = container({ resources: { limits } }).env ?? [];
  return env.find((variable) => variable.name === 'NODE_OPTIONS')?.value;
}

describe('chart Deployment', () => {
  it('runs `serve` on all interfaces with the flags the values describe', () => {
    expect(container().args).toEqual([
      'serve',
      '--listen=0.0.0.0:8080',
      '--scrape-interval=30s',
      '--scrape-timeout=5s',
      '--scrape-via=direct',
      '--log-level=info',
      '--log-format=json',
      '--shutdown-drain=5s',
      '--restore-stuck-after=30m',
      '--auth=token',
      '--session-ttl=8h',
    ]);
  });

  it('passes namespaces, read-only and proxy settings as flags', () => {
    const args = container({
      watchNamespaces: ['a', 'b'],
      readOnly: true,
      scrapeVia: 'proxy',
      auth: { mode: 'proxy', trustedProxyCIDRs: ['10.0.0.0/8', '192.168.1.0/24'] },
    }).args;

    expect(args).toContain('--namespaces=a,b');
    expect(args).toContain('--read-only');
    expect(args).toContain('--scrape-via=proxy');
    expect(args).toContain('--auth=proxy');
    expect(args).toContain('--trusted-proxy-cidrs=10.0.0.0/8,192.168.1.0/24');
    expect(args).toContain('--auth-user-header=X-Forwarded-User');
    expect(args).toContain('--auth-groups-header=X-Forwarded-Groups');
    expect(args.some((arg) => arg.startsWith('--session-ttl'))).toBe(false);
  });

  it('passes allowed origins and then any extra flags, in that order', () => {
    const args = container({
      allowedOrigins: ['https://deckhand.example.com', 'https://ops.example.com'],
      extraArgs: ['--replication-lag-warning=30s', '--disk-warning-ratio=0.7'],
    }).args;

    expect(args.slice(-3)).toEqual([
      '--allowed-origins=https://deckhand.example.com,https://ops.example.com',
      '--replication-lag-warning=30s',
      '--disk-warning-ratio=0.7',
    ]);
    expect(renderError({ extraArgs: ['serve'] })).toContain('/extraArgs/0');
  });

  it('mounts extra volumes next to /tmp', () => {
    const pod = podSpec(
      render({
        extraVolumes: [{ name: 'exporter-ca', configMap: { name: 'exporter-ca' } }],
        extraVolumeMounts: [{ name: 'exporter-ca', mountPath: '/etc/deckhand/ca', readOnly: true }],
      }),
    );

    expect(pod.volumes.map((volume) => volume.name)).toEqual(['tmp', 'exporter-ca']);
    expect(pod.containers[0]!.volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'exporter-ca', mountPath: '/etc/deckhand/ca', readOnly: true },
    ]);
  });

  it('allows an unauthenticated console only when asked to in so many words', () => {
    const args = container({ auth: { mode: 'none', allowUnauthenticated: true } }).args;

    expect(args).toContain('--auth=none');
    expect(args).toContain('--allow-unauthenticated');
    expect(renderError({ auth: { mode: 'none' } })).toContain('auth.allowUnauthenticated=true');
  });

  it('runs as a non-root user with a read-only root filesystem and no capabilities', () => {
    const pod = podSpec(render());

    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      fsGroup: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.containers[0]!.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  it('gives the process a writable /tmp from a size-limited emptyDir', () => {
    const pod = podSpec(render());

    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
    expect(pod.containers[0]!.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
  });

  it('mounts the service account token the server reads the cluster with', () => {
    const manifests = render();
    const pod = podSpec(manifests);

    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.serviceAccountName).toBe(one(manifests, 'ServiceAccount').metadata.name);
  });

  it('probes /healthz for liveness and start-up and /readyz for readiness', () => {
    const { livenessProbe, readinessProbe, startupProbe, ports } = container();

    expect(ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(livenessProbe).toEqual({
      httpGet: { path: '/healthz', port: 'http' },
      periodSeconds: 10,
      timeoutSeconds: 3,
      failureThreshold: 3,
    });
    expect(readinessProbe).toEqual({
      httpGet: { path: '/readyz', port: 'http' },
      periodSeconds: 5,
      timeoutSeconds: 3,
      failureThreshold: 3,
    });
    expect(startupProbe).toEqual({
      httpGet: { path: '/healthz', port: 'http' },
      periodSeconds: 2,
      timeoutSeconds: 3,
      failureThreshold: 30,
    });
  });

  it('leaves more time after SIGTERM than the server needs to stop', () => {
    expect(podSpec(render()).terminationGracePeriodSeconds).toBe(30);
    expect(renderError({ terminationGracePeriodSeconds: 10 })).toContain(
      'terminationGracePeriodSeconds',
    );
  });

  it('sets requests and a memory limit by default', () => {
    expect(container().resources).toEqual({
      requests: { cpu: '100m', memory: '192Mi' },
      limits: { memory: '512Mi' },
    });
  });

  it.each([
    ['512Mi', 384],
    ['256Mi', 192],
    ['1Gi', 768],
    ['1.5Gi', 1152],
    ['512M', 366],
    ['1G', 715],
    ['400000000', 286],
    ['2097152Ki', 1536],
  ])('turns a %s memory limit into a %i MiB heap (75 percent)', (limit, mebibytes) => {
    expect(nodeOptions(limit)).toBe(`--max-old-space-size=${mebibytes}`);
  });

  it('follows heapPercentOfMemoryLimit', () => {
    const env = container({ heapPercentOfMemoryLimit: 50 }).env ?? [];

    expect(env).toEqual([{ name: 'NODE_OPTIONS', value: '--max-old-space-size=256' }]);
  });

  it('leaves the heap size to Node.js when there is no memory limit', () => {
    expect(nodeOptions(null)).toBeUndefined();
  });

  it('refuses a memory limit that is not a quantity or too small for a heap', () => {
    expect(renderError({ resources: { limits: { memory: '1Gb' } } })).toContain(
      '/resources/limits/memory',
    );
    expect(renderError({ resources: { limits: { memory: '64Mi' } } })).toContain('heap of 48 MiB');
  });

  it('uses the chart appVersion as the tag unless a digest is given', () => {
    const digest = `sha256:${'a'.repeat(64)}`;

    expect(container().image).toBe('deckhand:0.1.0');
    expect(container({ image: { repository: 'r.example/deckhand', digest } }).image).toBe(
      `r.example/deckhand@${digest}`,
    );
  });
});
