import { describe, expect, it } from 'vitest';
import { isAllowed, parsePolicy, userForToken } from './policy';

const policy = parsePolicy(`
users:
  - { name: alice, token: alice-token-1, groups: [dba] }
  - { name: bob, token: bob-token-12 }
rules:
  - subjects: [{ group: dba }]
    verbs: [create, get]
    resources: [backups, clusters]
    namespaces: [team-a]
  - subjects: [{ user: bob }]
    verbs: [get]
    resources: ["*"]
`);

describe('the sandbox access policy', () => {
  it('maps tokens to users with their groups', () => {
    expect(userForToken(policy, 'alice-token-1')).toEqual({ name: 'alice', groups: ['dba'] });
    expect(userForToken(policy, 'nobody-token')).toBe(undefined);
  });

  it('allows group members inside the rule namespaces only', () => {
    const ask = { user: 'alice', groups: ['dba'], verb: 'create', resource: 'backups' };
    expect(isAllowed(policy, { ...ask, namespace: 'team-a' })).toBe(true);
    expect(isAllowed(policy, { ...ask, namespace: 'team-b' })).toBe(false);
    expect(isAllowed(policy, ask)).toBe(false);
  });

  it('allows a cluster-wide rule everywhere, for its verbs only', () => {
    const ask = { user: 'bob', groups: [], resource: 'clusters', namespace: 'x' };
    expect(isAllowed(policy, { ...ask, verb: 'get' })).toBe(true);
    expect(isAllowed(policy, { ...ask, verb: 'create' })).toBe(false);
  });

  it('names the field of a malformed policy', () => {
    expect(() => parsePolicy('users: [{ name: x, token: short }]')).toThrow(
      /invalid access policy at users\.0\.token/,
    );
  });
});
