import { afterEach, describe, expect, it } from 'vitest';
import { projectors } from '../../src/server/store/projections';
import { Reflector } from '../../src/server/kube/reflector';
import { kubeTransport } from '../../src/server/kube/transport';
import { WATCHED_RESOURCES } from '../../src/server/kube/resources';
import { Store } from '../../src/server/store/store';
import type { StoreKind } from '../../src/server/store/types';
import { meta, rawBackup, rawCluster, rawPod } from './store-fixtures';
import {
  captureLogger,
  eventually,
  FakeApiServer,
  kubeConfigFor,
  listOf,
} from './reflector-fake-server';

// Every token below must stay out of projections (pod IPs aside, in podIP only) and logs.
const SECRET_NAME = 'canary-secret-7f3a';
const CREDENTIAL = 'canaryKey9QX';
const ENDPOINT_HOST = 'canary-endpoint-51.example';
const POD_IPV4 = '10.99.88.77';
const POD_IPV6 = 'fd00:cafe::77';
const TOKENS = [SECRET_NAME, CREDENTIAL, ENDPOINT_HOST, POD_IPV4, POD_IPV6, 'cafe::77'];

const endpoint = `https://${CREDENTIAL}:pw@${ENDPOINT_HOST}:9000/bucket`;
const secretRef = { name: SECRET_NAME, key: 'ACCESS_KEY_ID' };

function hostileCluster(name: string) {
  return rawCluster(name, {
    metadata: {
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': `{"secret":"${SECRET_NAME}"}`,
      },
    },
    spec: {
      superuserSecret: { name: SECRET_NAME },
      bootstrap: { initdb: { secret: { name: SECRET_NAME } } },
      backup: {
        barmanObjectStore: {
          destinationPath: `s3://${ENDPOINT_HOST}/x`,
          endpointURL: endpoint,
          s3Credentials: { accessKeyId: secretRef, secretAccessKey: secretRef },
        },
      },
      externalClusters: [
        { name: 'origin', connectionParameters: { host: POD_IPV4 }, password: secretRef },
      ],
      plugins: [
        {
          name: 'barman-cloud.cloudnative-pg.io',
          parameters: { barmanObjectName: 'store', endpoint, secret: SECRET_NAME },
        },
      ],
    },
    status: {
      phaseReason: `reaching ${POD_IPV4}:5432`,
      instancesReportedState: { [`${name}-1`]: { isPrimary: true, ip: POD_IPV6 } },
      conditions: [
        {
          type: 'ContinuousArchiving',
          status: 'False',
          reason: 'ContinuousArchivingFailing',
          message: `archive to ${endpoint} failed via [${POD_IPV6}]:9187 and ${POD_IPV4}`,
          lastTransitionTime: '2026-03-24T12:00:00Z',
        },
      ],
    },
  });
}

function hostileBackup(name: string) {
  return rawBackup(name, 'alpha', {
    status: {
      phase: 'failed',
      error: `upload to ${endpoint} failed: dial tcp ${POD_IPV4}:9000`,
      endpointURL: endpoint,
      destinationPath: `s3://${ENDPOINT_HOST}/`,
      s3Credentials: { accessKeyId: secretRef },
      instanceID: { podName: 'alpha-1', ContainerID: 'x' },
    },
  });
}

function hostilePod(name: string) {
  return rawPod(name, 'alpha', {
    status: { podIP: POD_IPV4, podIPs: [{ ip: POD_IPV4 }, { ip: POD_IPV6 }], hostIP: POD_IPV4 },
  });
}

function hostileObjectStore() {
  return {
    metadata: meta('store'),
    spec: { configuration: { endpointURL: endpoint, s3Credentials: { accessKeyId: secretRef } } },
    status: {
      serverRecoveryWindow: { alpha: { firstRecoverabilityPoint: '2026-03-20T00:00:00Z' } },
    },
  };
}

function leakedTokens(text: string): string[] {
  return TOKENS.filter((token) => text.includes(token));
}

describe('redaction canary: projections', () => {
  const samples: [StoreKind, unknown][] = [
    ['clusters', hostileCluster('alpha')],
    ['backups', hostileBackup('alpha-1')],
    ['objectstores', hostileObjectStore()],
  ];

  for (const [kind, raw] of samples) {
    it(`keeps no secret name, credential, endpoint or pod IP in a ${kind} projection`, () => {
      const result = projectors[kind](raw);

      expect(result.ok).toBe(true);
      expect(leakedTokens(JSON.stringify(result))).toEqual([]);
    });
  }

  it('keeps the pod IP in podIP and nowhere else in a pod projection', () => {
    const result = projectors.pods(hostilePod('alpha-1'));
    if (!result.ok) throw new Error(result.reason);
    const { podIP, ...rest } = result.value;

    expect(podIP).toBe(POD_IPV4);
    expect(leakedTokens(JSON.stringify(rest))).toEqual([]);
  });
});

describe('redaction canary: logs', () => {
  let server: FakeApiServer;
  let reflector: Reflector | undefined;

  afterEach(async () => {
    await reflector?.stop();
    await server.close();
  });

  it('logs no token at info level while syncing, skipping malformed objects and failing', async () => {
    const malformed = {
      metadata: { name: POD_IPV4, namespace: SECRET_NAME, resourceVersion: '11' },
      status: { podIP: POD_IPV4 },
    };
    let watches = 0;
    server = new FakeApiServer()
      .on((request) => {
        if (!request.isWatch) return undefined;
        watches += 1;
        if (watches === 1)
          return {
            status: 500,
            body: { kind: 'Status', code: 500, message: `etcd at ${POD_IPV4}:2379 down` },
          };
        return {
          lines: [
            { type: 'ADDED', object: hostilePod('alpha-2') },
            { type: 'ADDED', object: malformed },
          ],
          keepOpen: true,
        };
      })
      .on((request) =>
        request.isWatch
          ? undefined
          : { status: 200, body: listOf([hostilePod('alpha-1'), malformed], '10') },
      );
    const url = await server.start();
    const log = captureLogger('info');
    const store = new Store();
    reflector = new Reflector({
      resource: WATCHED_RESOURCES.find((resource) => resource.kind === 'pods')!,
      transport: kubeTransport(kubeConfigFor(url)),
      store,
      logger: log.logger,
      backoff: { initialMs: 10, maxMs: 20, factor: 2, jitter: 0 },
    });
    reflector.start();

    await eventually(
      () => store.list('pods').length === 2 && reflector!.counters.malformedObjects === 2,
    );

    expect(log.entries().length).toBeGreaterThan(0);
    expect(leakedTokens(log.text())).toEqual([]);
    expect(leakedTokens(JSON.stringify(store.kindStatuses()))).toEqual([]);
  });
});
