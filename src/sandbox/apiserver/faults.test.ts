import { describe, expect, it } from 'vitest';
import { toStatus } from '../store/errors';
import { FaultState, type FaultRequest } from './faults';
import { resourceAttributes } from './request-info';

const idleWatches = { closeAll: () => {}, goneInStream: () => {}, setStalled: () => {} };

function request(method: string, path: string, user = 'system:anonymous'): FaultRequest {
  return { attributes: resourceAttributes(method, new URL(path, 'https://sandbox.invalid')), user };
}

describe('request attributes', () => {
  it('reads lists, watches and named objects the way RBAC sees them', () => {
    expect(resourceAttributes('GET', new URL('https://x/api/v1/namespaces/db/pods'))).toEqual({
      verb: 'list',
      group: '',
      resource: 'pods',
      namespace: 'db',
    });
    const watch = new URL(
      'https://x/apis/postgresql.cnpg.io/v1/namespaces/db/clusters?watch=true&fieldSelector=metadata.name%3Dalpha',
    );
    expect(resourceAttributes('GET', watch)).toEqual({
      verb: 'watch',
      group: 'postgresql.cnpg.io',
      resource: 'clusters',
      namespace: 'db',
      name: 'alpha',
    });
    const status = new URL(
      'https://x/apis/postgresql.cnpg.io/v1/namespaces/db/clusters/alpha/status',
    );
    expect(resourceAttributes('PATCH', status)).toMatchObject({
      verb: 'patch',
      name: 'alpha',
      subresource: 'status',
    });
  });

  it('places a namespace in itself and a collection DELETE as deletecollection', () => {
    expect(resourceAttributes('GET', new URL('https://x/api/v1/namespaces/db'))).toEqual({
      verb: 'get',
      group: '',
      resource: 'namespaces',
      namespace: 'db',
      name: 'db',
    });
    expect(
      resourceAttributes('DELETE', new URL('https://x/api/v1/namespaces/db/pods')),
    ).toMatchObject({ verb: 'deletecollection', resource: 'pods' });
  });

  it('has none for /version, discovery and /openapi', () => {
    for (const path of [
      '/version',
      '/api',
      '/api/v1',
      '/apis',
      '/apis/postgresql.cnpg.io/v1',
      '/openapi/v2',
    ]) {
      expect(resourceAttributes('GET', new URL(path, 'https://x'))).toBeUndefined();
    }
  });
});

describe('an injected 403', () => {
  it('reads as an RBAC denial naming the user, verb, resource, group and namespace', () => {
    const faults = new FaultState(idleWatches);
    faults.failNext({ count: 1, status: 403 });
    const error = faults.takeFailure(
      request('GET', '/apis/postgresql.cnpg.io/v1/namespaces/db/clusters/alpha', 'alice'),
    );
    expect(toStatus(error)).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message:
        'clusters.postgresql.cnpg.io "alpha" is forbidden: User "alice" cannot get resource ' +
        '"clusters" in API group "postgresql.cnpg.io" in the namespace "db"',
      details: { name: 'alpha', group: 'postgresql.cnpg.io', kind: 'clusters' },
    });
  });

  it('words cluster-wide requests at the cluster scope, with the core group as ""', () => {
    const faults = new FaultState(idleWatches);
    faults.failNext({ count: 1, status: 403 });
    const error = faults.takeFailure(request('GET', '/api/v1/pods'));
    expect(error?.message).toBe(
      'pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" ' +
        'at the cluster scope',
    );
    expect(error?.details).toEqual({ kind: 'pods' });
  });

  it('lets /version and discovery through without using up the count', () => {
    const faults = new FaultState(idleWatches);
    faults.failNext({ count: 1, status: 403 });
    expect(faults.takeFailure(request('GET', '/version'))).toBeUndefined();
    expect(faults.takeFailure(request('GET', '/apis/postgresql.cnpg.io/v1'))).toBeUndefined();
    expect(faults.takeFailure(request('GET', '/api/v1/pods'))?.code).toBe(403);
    expect(faults.takeFailure(request('GET', '/api/v1/pods'))).toBeUndefined();
  });

  it('hits only the resource it is aimed at, by plural or by plural and group', () => {
    const faults = new FaultState(idleWatches);
    faults.failNext({ count: 2, status: 403, resource: 'backups.postgresql.cnpg.io' });
    expect(faults.takeFailure(request('GET', '/api/v1/namespaces/db/pods'))).toBeUndefined();
    const backups = '/apis/postgresql.cnpg.io/v1/namespaces/db/backups';
    expect(faults.takeFailure(request('POST', backups))?.message).toMatch(
      /^backups\.postgresql\.cnpg\.io is forbidden: User "system:anonymous" cannot create/,
    );

    faults.failNext({ count: 1, status: 503, resource: 'pods' });
    expect(faults.takeFailure(request('GET', '/version'))).toBeUndefined();
    expect(faults.takeFailure(request('GET', '/api/v1/pods'))?.code).toBe(503);
  });

  it('leaves the other statuses firing on any request, as before', () => {
    const faults = new FaultState(idleWatches);
    faults.failNext({ count: 1, status: 500 });
    expect(faults.takeFailure(request('GET', '/version'))?.reason).toBe('InternalError');
  });
});
