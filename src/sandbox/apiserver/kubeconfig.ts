// A kubeconfig for the sandbox that kubectl and client-node accept as is: the
// CA inline as certificate-authority-data and a bearer-token user (the sandbox
// accepts any token).
import { stringify } from 'yaml';

export interface KubeconfigOptions {
  server: string;
  caPem: string;
  token?: string;
  contextName?: string;
}

export function buildKubeconfig(options: KubeconfigOptions): string {
  const name = options.contextName ?? 'deckhand-sandbox';
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name,
        cluster: {
          server: options.server,
          'certificate-authority-data': Buffer.from(options.caPem).toString('base64'),
        },
      },
    ],
    users: [{ name, user: { token: options.token ?? 'deckhand-sandbox' } }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  };
  return stringify(config);
}
