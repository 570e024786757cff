import { describe, expect, it } from 'vitest';
import { checksFor, mutationOf, refusalText } from './access';
import { readCookie } from './authenticator';
import { parseCidrs } from './cidr';
import { SessionStore } from './sessions';

describe('trusted proxy addresses', () => {
  const trusted = parseCidrs(['10.0.0.0/8', '::1', 'fd00::/64']);

  it('accepts addresses inside the listed ranges, including IPv4-mapped ones', () => {
    expect(trusted.matches('10.1.2.3')).toBe(true);
    expect(trusted.matches('::ffff:10.9.9.9')).toBe(true);
    expect(trusted.matches('::1')).toBe(true);
    expect(trusted.matches('fd00::42')).toBe(true);
  });

  it('refuses everything else, and no address at all', () => {
    expect(trusted.matches('192.168.1.1')).toBe(false);
    expect(trusted.matches('fd01::1')).toBe(false);
    expect(trusted.matches(undefined)).toBe(false);
    expect(trusted.matches('not-an-ip')).toBe(false);
  });

  it('names the bad entry of a malformed list', () => {
    expect(() => parseCidrs(['10.0.0.0/33'])).toThrow('"10.0.0.0/33" has an invalid prefix length');
    expect(() => parseCidrs(['example.com'])).toThrow('"example.com" is not an IP address or CIDR');
  });
});

describe('mutations and the permissions they need', () => {
  it('asks to create backups in the cluster namespace for an on-demand backup', () => {
    const mutation = mutationOf({
      method: 'POST',
      path: '/api/clusters/team-a/alpha/backups',
      body: {},
    });
    expect(mutation).toEqual({ action: 'create-backup', namespace: 'team-a', cluster: 'alpha' });
    expect(checksFor(mutation!)).toEqual([
      { verb: 'create', group: 'postgresql.cnpg.io', resource: 'backups', namespace: 'team-a' },
    ]);
  });

  it('asks to read backups at the source and create clusters at the target for a restore', () => {
    const mutation = mutationOf({
      method: 'POST',
      path: '/api/clusters/team-a/alpha/restore',
      body: { backupName: 'b', targetNamespace: 'team-b', targetName: 'alpha-copy' },
    });
    expect(checksFor(mutation!)).toEqual([
      { verb: 'get', group: 'postgresql.cnpg.io', resource: 'backups', namespace: 'team-a' },
      { verb: 'create', group: 'postgresql.cnpg.io', resource: 'clusters', namespace: 'team-b' },
    ]);
    expect(refusalText('bob', mutation!)).toBe(
      'user "bob" may not restore backups of namespace "team-a" into namespace "team-b"',
    );
  });

  it('ignores reads and other paths', () => {
    expect(mutationOf({ method: 'GET', path: '/api/clusters/a/b/backups', body: undefined })).toBe(
      undefined,
    );
    expect(mutationOf({ method: 'POST', path: '/api/session', body: {} })).toBe(undefined);
  });
});

describe('session cookies', () => {
  it('reads the session id among other cookies and rejects malformed values', () => {
    expect(readCookie('a=1; deckhand_session=abc_DEF-123; b=2', 'deckhand_session')).toBe(
      'abc_DEF-123',
    );
    expect(readCookie('deckhand_session=<script>', 'deckhand_session')).toBe(undefined);
    expect(readCookie(undefined, 'deckhand_session')).toBe(undefined);
  });
});

describe('sessions', () => {
  it('expire after their lifetime and tell listeners when they end', () => {
    let now = 1_000;
    const sessions = new SessionStore({ ttlMs: 100, recheckMs: 50, now: () => now });
    const ended: string[] = [];
    sessions.onEnd((id) => ended.push(id));

    const id = sessions.create({ name: 'alice', groups: ['dba'] }, 'token-1');
    expect(sessions.get(id)).toEqual({ name: 'alice', groups: ['dba'], sessionId: id });

    now += 60;
    expect(sessions.dueForRecheck()).toEqual([{ id, token: 'token-1' }]);
    sessions.markChecked(id);
    expect(sessions.dueForRecheck()).toEqual([]);

    now += 50;
    expect(sessions.get(id)).toBe(undefined);
    expect(ended).toEqual([id]);
  });

  it('drop the oldest session past the bound', () => {
    const sessions = new SessionStore({ ttlMs: 1_000, recheckMs: 1_000, maxSessions: 2 });
    const first = sessions.create({ name: 'a', groups: [] }, 't1');
    sessions.create({ name: 'b', groups: [] }, 't2');
    sessions.create({ name: 'c', groups: [] }, 't3');
    expect(sessions.get(first)).toBe(undefined);
    expect(sessions.size).toBe(2);
  });
});
