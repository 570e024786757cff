// What CNPG records in a Cluster's status besides phases and instances: the
// certificates it issued, the versions of the secrets and config maps it
// watches, its own build, and facts about the PostgreSQL image. Deckhand reads
// none of it; it is here so that a Cluster has the size and shape it has in a
// real cluster, which is what a client caching Clusters pays for.
import { createHash } from 'node:crypto';
import type { KubeObject } from '../store/types';
import { operatorVersion } from './pod-template';

const certificateLifetimeMs = 90 * 86_400_000;

function hexDigest(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

/** Go's `time.Time.String()` in UTC, the format CNPG writes expirations in. */
function goTime(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} +0000 UTC`;
}

function serviceNames(name: string, namespace: string): string[] {
  return ['rw', 'r', 'ro'].flatMap((suffix) => {
    const service = `${name}-${suffix}`;
    return [
      service,
      `${service}.${namespace}`,
      `${service}.${namespace}.svc`,
      `${service}.${namespace}.svc.cluster.local`,
    ];
  });
}

/** A PostgreSQL major version from an image tag such as `postgresql:17.6`. */
function majorVersion(image: string): number | undefined {
  const tag = /:(\d+)/.exec(image.slice(image.lastIndexOf('/') + 1))?.[1];
  return tag === undefined ? undefined : Number(tag);
}

/** The bookkeeping fields of a Cluster's status, as of `now`. */
export function bookkeepingStatus(options: {
  cluster: KubeObject;
  image: string;
  now: Date;
}): Record<string, unknown> {
  const { cluster, image, now } = options;
  const name = cluster.metadata.name;
  const namespace = cluster.metadata.namespace ?? 'default';
  const expires = goTime(new Date(now.getTime() + certificateLifetimeMs));
  // Resource versions of the secrets CNPG created with the cluster.
  const version = (secret: string) =>
    String(1000 + (parseInt(hexDigest(`${namespace}/${secret}`).slice(0, 6), 16) % 9000));
  const major = majorVersion(image);
  return {
    availableArchitectures: ['amd64', 'arm64'].map((goArch) => ({
      goArch,
      hash: hexDigest(`${operatorVersion}/${goArch}`),
    })),
    certificates: {
      clientCASecret: `${name}-ca`,
      serverCASecret: `${name}-ca`,
      serverTLSSecret: `${name}-server`,
      replicationTLSSecret: `${name}-replication`,
      serverAltDNSNames: serviceNames(name, namespace),
      expirations: {
        [`${name}-ca`]: expires,
        [`${name}-replication`]: expires,
        [`${name}-server`]: expires,
      },
    },
    cloudNativePGCommitHash: hexDigest(operatorVersion).slice(0, 8),
    cloudNativePGOperatorHash: hexDigest(`${operatorVersion}/amd64`),
    configMapResourceVersion: { metrics: { 'cnpg-default-monitoring': version('monitoring') } },
    secretsResourceVersion: {
      applicationSecretVersion: version(`${name}-app`),
      clientCaSecretVersion: version(`${name}-ca`),
      replicationSecretVersion: version(`${name}-replication`),
      serverCaSecretVersion: version(`${name}-ca`),
      serverSecretVersion: version(`${name}-server`),
    },
    ...(major === undefined ? {} : { pgDataImageInfo: { image, majorVersion: major } }),
    poolerIntegrations: { pgBouncerIntegration: {} },
    switchReplicaClusterStatus: {},
    managedRolesStatus: {},
    systemID: String(
      7_000_000_000_000_000_000n +
        BigInt(`0x${hexDigest(cluster.metadata.uid ?? name).slice(0, 14)}`),
    ),
  };
}
