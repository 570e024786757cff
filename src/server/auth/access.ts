// Which Kubernetes permissions each Deckhand mutation needs, so that it is
// authorized for the person asking rather than for Deckhand's service account.
import type { AccessCheck } from './types';

const cnpgGroup = 'postgresql.cnpg.io';

/** A mutation Deckhand performs, with the namespaces it touches. */
export type Mutation =
  | { action: 'create-backup'; namespace: string; cluster: string }
  | {
      action: 'restore';
      namespace: string;
      cluster: string;
      targetNamespace?: string;
      targetName?: string;
    };

const backupPath = /^\/api\/clusters\/([^/]+)\/([^/]+)\/backups\/?$/;
const restorePath = /^\/api\/clusters\/([^/]+)\/([^/]+)\/restore\/?$/;

/** The mutation a POST request asks for, or undefined for any other request. */
export function mutationOf(input: {
  method: string;
  path: string;
  body: unknown;
}): Mutation | undefined {
  if (input.method !== 'POST') return undefined;
  const backup = backupPath.exec(input.path);
  if (backup !== null) {
    return { action: 'create-backup', namespace: decode(backup[1]), cluster: decode(backup[2]) };
  }
  const restore = restorePath.exec(input.path);
  if (restore === null) return undefined;

  const body =
    typeof input.body === 'object' && input.body !== null
      ? (input.body as Record<string, unknown>)
      : {};
  return {
    action: 'restore',
    namespace: decode(restore[1]),
    cluster: decode(restore[2]),
    ...(typeof body.targetNamespace === 'string' ? { targetNamespace: body.targetNamespace } : {}),
    ...(typeof body.targetName === 'string' ? { targetName: body.targetName } : {}),
  };
}

/** The checks a mutation needs: a restore reads the source's backups and creates a Cluster. */
export function checksFor(mutation: Mutation): AccessCheck[] {
  if (mutation.action === 'create-backup') {
    return [
      { verb: 'create', group: cnpgGroup, resource: 'backups', namespace: mutation.namespace },
    ];
  }
  return [
    { verb: 'get', group: cnpgGroup, resource: 'backups', namespace: mutation.namespace },
    {
      verb: 'create',
      group: cnpgGroup,
      resource: 'clusters',
      namespace: mutation.targetNamespace ?? mutation.namespace,
    },
  ];
}

/** Plain words for a refused mutation. */
export function refusalText(user: string, mutation: Mutation): string {
  if (mutation.action === 'create-backup') {
    return `user "${user}" may not create backups in namespace "${mutation.namespace}"`;
  }
  const target = mutation.targetNamespace ?? mutation.namespace;
  return `user "${user}" may not restore backups of namespace "${mutation.namespace}" into namespace "${target}"`;
}

function decode(segment: string | undefined): string {
  try {
    return decodeURIComponent(segment ?? '');
  } catch {
    return segment ?? '';
  }
}
