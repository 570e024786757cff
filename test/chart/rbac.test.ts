import { describe, expect, it } from 'vitest';
import { byKind, grants, one, render, rulesOf, type Manifest } from './helm';

const reads = [
  '/persistentvolumeclaims:get',
  '/persistentvolumeclaims:list',
  '/persistentvolumeclaims:watch',
  '/pods:get',
  '/pods:list',
  '/pods:watch',
  'barmancloud.cnpg.io/objectstores:get',
  'barmancloud.cnpg.io/objectstores:list',
  'barmancloud.cnpg.io/objectstores:watch',
  'postgresql.cnpg.io/backups:get',
  'postgresql.cnpg.io/backups:list',
  'postgresql.cnpg.io/backups:watch',
  'postgresql.cnpg.io/clusters:get',
  'postgresql.cnpg.io/clusters:list',
  'postgresql.cnpg.io/clusters:watch',
  'postgresql.cnpg.io/scheduledbackups:get',
  'postgresql.cnpg.io/scheduledbackups:list',
  'postgresql.cnpg.io/scheduledbackups:watch',
];
const creates = ['postgresql.cnpg.io/backups:create', 'postgresql.cnpg.io/clusters:create'];
const tokenReview = 'authentication.k8s.io/tokenreviews:create';
const accessReview = 'authorization.k8s.io/subjectaccessreviews:create';

function sorted(list: string[]): string[] {
  return [...list].sort();
}

function clusterRoles(manifests: Manifest[]): { main?: Manifest; auth?: Manifest } {
  const roles = byKind(manifests, 'ClusterRole');
  return {
    main: roles.find((role) => !role.metadata.name.endsWith('-auth')),
    auth: roles.find((role) => role.metadata.name.endsWith('-auth')),
  };
}

const combinations: Record<string, object> = {
  defaults: {},
  readOnly: { readOnly: true },
  'watchNamespaces [a, b]': { watchNamespaces: ['a', 'b'] },
  'auth token': { auth: { mode: 'token' } },
  'auth proxy': { auth: { mode: 'proxy', trustedProxyCIDRs: ['10.0.0.0/8'] } },
  'auth none': { auth: { mode: 'none', allowUnauthenticated: true } },
  'scrapeVia proxy': { scrapeVia: 'proxy' },
};

describe('chart RBAC', () => {
  it('grants reads, creates and the sign-in reviews cluster-wide by default', () => {
    const manifests = render();
    const { main, auth } = clusterRoles(manifests);

    expect(grants(main!)).toEqual(sorted([...reads, ...creates]));
    expect(grants(auth!)).toEqual([tokenReview, accessReview]);
    expect(byKind(manifests, 'Role')).toEqual([]);
  });

  it('binds each ClusterRole to the release service account', () => {
    const manifests = render();
    const account = one(manifests, 'ServiceAccount').metadata.name;
    const roleNames = byKind(manifests, 'ClusterRole').map((role) => role.metadata.name);

    for (const binding of byKind(manifests, 'ClusterRoleBinding')) {
      expect(roleNames).toContain((binding.roleRef as { name: string }).name);
      expect(binding.subjects).toEqual([
        { kind: 'ServiceAccount', name: account, namespace: 'deckhand' },
      ]);
    }
    expect(byKind(manifests, 'ClusterRoleBinding')).toHaveLength(2);
  });

  it('grants no create permission when read-only', () => {
    const { main } = clusterRoles(render({ readOnly: true }));

    expect(grants(main!)).toEqual(reads);
  });

  it('grants per namespace through Roles when watchNamespaces is set', () => {
    const manifests = render({ watchNamespaces: ['a', 'b'] });
    const roles = byKind(manifests, 'Role');
    const bindings = byKind(manifests, 'RoleBinding');

    expect(clusterRoles(manifests).main).toBeUndefined();
    expect(roles.map((role) => role.metadata.namespace)).toEqual(['a', 'b']);
    for (const role of roles) expect(grants(role)).toEqual(sorted([...reads, ...creates]));
    expect(bindings.map((binding) => binding.metadata.namespace)).toEqual(['a', 'b']);
    for (const binding of bindings) {
      expect(binding.roleRef).toEqual({
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: 'deckhand',
      });
      expect(binding.subjects).toEqual([
        { kind: 'ServiceAccount', name: 'deckhand', namespace: 'deckhand' },
      ]);
    }
  });

  it('keeps the cluster-scoped review permissions in a namespaced install', () => {
    const { auth } = clusterRoles(render({ watchNamespaces: ['a', 'b'] }));

    expect(grants(auth!)).toEqual([tokenReview, accessReview]);
  });

  it('grants only SubjectAccessReview in proxy mode', () => {
    const manifests = render({ auth: { mode: 'proxy', trustedProxyCIDRs: ['10.0.0.0/8'] } });

    expect(grants(clusterRoles(manifests).auth!)).toEqual([accessReview]);
  });

  it('grants no review permission without sign-in', () => {
    const manifests = render({ auth: { mode: 'none', allowUnauthenticated: true } });

    expect(clusterRoles(manifests).auth).toBeUndefined();
    expect(byKind(manifests, 'ClusterRoleBinding')).toHaveLength(1);
  });

  it('grants get on pods/proxy only when scraping through the API server', () => {
    const { main } = clusterRoles(render({ scrapeVia: 'proxy' }));

    expect(grants(main!)).toEqual(sorted([...reads, ...creates, '/pods/proxy:get']));
    expect(grants(clusterRoles(render()).main!)).not.toContain('/pods/proxy:get');
  });

  it.each(Object.entries(combinations))(
    'never grants secrets, wildcards or changes to existing objects (%s)',
    (_name, values) => {
      const manifests = render(values);
      const roles = [...byKind(manifests, 'ClusterRole'), ...byKind(manifests, 'Role')];

      for (const rule of roles.flatMap(rulesOf)) {
        expect(rule.resources).not.toContain('secrets');
        expect([...rule.apiGroups, ...rule.resources, ...rule.verbs]).not.toContain('*');
        for (const verb of rule.verbs) expect(['get', 'list', 'watch', 'create']).toContain(verb);
      }
    },
  );
});
