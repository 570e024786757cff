// TokenReview and SubjectAccessReview calls. Deckhand asks the API server who a
// bearer token belongs to, and whether that person (not Deckhand's own service
// account) may do what they asked. Both go through the same hardened JSON
// client as the actions: one attempt, a timeout, a bounded answer.
import type { KubeConfig } from '@kubernetes/client-node';
import { kubeRequest } from '../actions/kube-client';
import type { AccessCheck, Identity } from './types';

/** Asks the API server who owns `token`; undefined when it is not authenticated. */
export async function reviewToken(
  kubeConfig: KubeConfig,
  token: string,
): Promise<Identity | undefined> {
  const response = await kubeRequest(kubeConfig, {
    method: 'POST',
    path: '/apis/authentication.k8s.io/v1/tokenreviews',
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } },
  });
  if (response.statusCode !== 201 && response.statusCode !== 200) {
    throw new Error(`token review failed with HTTP ${response.statusCode}`);
  }
  const status = readRecord(readRecord(response.body)?.status);
  if (status?.authenticated !== true) return undefined;

  const user = readRecord(status.user);
  const name = typeof user?.username === 'string' ? user.username : '';
  if (name === '') return undefined;
  const groups = Array.isArray(user?.groups)
    ? user.groups.filter((group): group is string => typeof group === 'string')
    : [];
  return { name, groups };
}

/** True when the API server allows `identity` every one of `checks`. */
export async function reviewAccess(
  kubeConfig: KubeConfig,
  identity: Identity,
  checks: readonly AccessCheck[],
): Promise<boolean> {
  const answers = await Promise.all(checks.map((check) => reviewOne(kubeConfig, identity, check)));
  return answers.every(Boolean);
}

async function reviewOne(
  kubeConfig: KubeConfig,
  identity: Identity,
  check: AccessCheck,
): Promise<boolean> {
  const response = await kubeRequest(kubeConfig, {
    method: 'POST',
    path: '/apis/authorization.k8s.io/v1/subjectaccessreviews',
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      spec: {
        user: identity.name,
        groups: identity.groups,
        resourceAttributes: {
          verb: check.verb,
          group: check.group,
          resource: check.resource,
          ...(check.namespace === undefined ? {} : { namespace: check.namespace }),
        },
      },
    },
  });
  if (response.statusCode !== 201 && response.statusCode !== 200) {
    throw new Error(`access review failed with HTTP ${response.statusCode}`);
  }
  return readRecord(readRecord(response.body)?.status)?.allowed === true;
}

function readRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
