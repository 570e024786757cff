// The spec of an instance Pod as CNPG's pod template fills it
// (pkg/specs/pods.go): a `bootstrap-controller` init container copying the
// instance manager into a shared volume, the `postgres` container running it
// with its environment, probes, ports, resources and hardened security
// context, the volumes it mounts, and the scheduling fields. Clients read few
// of these fields; they are here so that a Pod has the size and shape it has
// in a real cluster, which is what a client caching Pods pays for.
import { metricsPort, postgresPort } from './cnpg';

/** The operator's image; CNPG copies its manager binary out of it at startup. */
export const operatorVersion = '1.27.0';
export const operatorImage = `ghcr.io/cloudnative-pg/cloudnative-pg:${operatorVersion}`;
export const statusPort = 8000;
const pgdataPath = '/var/lib/postgresql/data/pgdata';

const restrictedSecurity = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  privileged: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
};

function probe(options: { path: string; periodSeconds: number; failureThreshold: number }) {
  return {
    httpGet: { path: options.path, port: statusPort, scheme: 'HTTP' },
    periodSeconds: options.periodSeconds,
    failureThreshold: options.failureThreshold,
    successThreshold: 1,
    timeoutSeconds: 5,
  };
}

function environment(input: { podName: string; clusterName: string; namespace: string }) {
  return [
    { name: 'PGDATA', value: pgdataPath },
    { name: 'POD_NAME', value: input.podName },
    { name: 'NAMESPACE', value: input.namespace },
    { name: 'CLUSTER_NAME', value: input.clusterName },
    { name: 'PSQL_HISTORY', value: '/controller/tmp/.psql_history' },
    { name: 'PGPORT', value: String(postgresPort) },
    { name: 'PGHOST', value: '/controller/run' },
    { name: 'TMPDIR', value: '/controller/tmp' },
  ];
}

const volumeMounts = [
  { name: 'pgdata', mountPath: '/var/lib/postgresql/data' },
  { name: 'scratch-data', mountPath: '/run' },
  { name: 'scratch-data', mountPath: '/controller' },
  { name: 'shm', mountPath: '/dev/shm' },
  { name: 'app-secret', mountPath: '/etc/app-secret' },
  {
    name: 'kube-api-access',
    mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
    readOnly: true,
  },
];

const resources = {
  requests: { cpu: '500m', memory: '512Mi' },
  limits: { cpu: '1', memory: '1Gi' },
};

const ports = [
  { name: 'postgresql', containerPort: postgresPort, protocol: 'TCP' },
  { name: 'metrics', containerPort: metricsPort, protocol: 'TCP' },
  { name: 'status', containerPort: statusPort, protocol: 'TCP' },
];

const probes = {
  livenessProbe: probe({ path: '/healthz', periodSeconds: 10, failureThreshold: 3 }),
  readinessProbe: probe({ path: '/readyz', periodSeconds: 10, failureThreshold: 3 }),
  startupProbe: probe({ path: '/healthz', periodSeconds: 10, failureThreshold: 360 }),
};

function postgresContainer(input: {
  podName: string;
  clusterName: string;
  namespace: string;
  image: string;
}) {
  return {
    name: 'postgres',
    image: input.image,
    imagePullPolicy: 'IfNotPresent',
    command: ['/controller/manager', 'instance', 'run', '--status-port-tls', '--log-level=info'],
    env: environment(input),
    ports,
    ...probes,
    resources,
    securityContext: restrictedSecurity,
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    volumeMounts,
  };
}

const bootstrapContainer = {
  name: 'bootstrap-controller',
  image: operatorImage,
  imagePullPolicy: 'IfNotPresent',
  command: ['/manager', 'bootstrap', '/controller/manager', '--log-level=info'],
  resources,
  securityContext: restrictedSecurity,
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
  volumeMounts: volumeMounts.filter((mount) => mount.name === 'scratch-data'),
};

function volumes(input: { podName: string; clusterName: string }) {
  return [
    { name: 'pgdata', persistentVolumeClaim: { claimName: input.podName } },
    { name: 'scratch-data', emptyDir: {} },
    { name: 'shm', emptyDir: { medium: 'Memory' } },
    { name: 'app-secret', secret: { secretName: `${input.clusterName}-app`, defaultMode: 420 } },
    {
      name: 'kube-api-access',
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          {
            downwardAPI: {
              items: [
                {
                  path: 'namespace',
                  fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' },
                },
              ],
            },
          },
        ],
      },
    },
  ];
}

function scheduling(clusterName: string) {
  const selector = { matchLabels: { 'cnpg.io/cluster': clusterName } };
  return {
    affinity: {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 100,
            podAffinityTerm: { labelSelector: selector, topologyKey: 'kubernetes.io/hostname' },
          },
        ],
      },
    },
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: selector,
      },
    ],
    tolerations: [
      {
        key: 'node.kubernetes.io/not-ready',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
      {
        key: 'node.kubernetes.io/unreachable',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
    ],
  };
}

/** The spec of instance `podName` of a cluster, running `image`. */
export function instancePodSpec(input: {
  podName: string;
  clusterName: string;
  namespace: string;
  image: string;
  /** The cluster's stopDelay, which CNPG uses as the pod's termination grace period. */
  stopDelaySeconds: number;
}): Record<string, unknown> {
  const { podName, clusterName } = input;
  return {
    hostname: podName,
    subdomain: `${clusterName}-any`,
    initContainers: [bootstrapContainer],
    containers: [postgresContainer(input)],
    volumes: volumes({ podName, clusterName }),
    ...scheduling(clusterName),
    serviceAccountName: clusterName,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    dnsPolicy: 'ClusterFirst',
    restartPolicy: 'Always',
    schedulerName: 'default-scheduler',
    priority: 0,
    preemptionPolicy: 'PreemptLowerPriority',
    securityContext: { fsGroup: 26, runAsUser: 26, runAsGroup: 26, fsGroupChangePolicy: 'Always' },
    terminationGracePeriodSeconds: input.stopDelaySeconds,
    nodeName: 'sandbox-node',
  };
}
