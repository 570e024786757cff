// The floor a reflector's startup is compared with: a paginated LIST of every
// watched resource with JSON.parse of each page, and nothing else.
import type { KubeConfig } from '@kubernetes/client-node';
import { collectionPath, WATCHED_RESOURCES } from '../../src/server/kube/resources';
import { kubeTransport, readBody } from '../../src/server/kube/transport';

/** Lists every watched resource, all at once as the reflectors do; returns the object count. */
export async function bareList(kubeConfig: KubeConfig): Promise<number> {
  const transport = kubeTransport(kubeConfig);
  const counts = await Promise.all(
    WATCHED_RESOURCES.map(async (resource) => {
      let count = 0;
      let continueToken: string | undefined;
      do {
        const query = new URLSearchParams({ limit: '500' });
        if (continueToken !== undefined) query.set('continue', continueToken);
        if (resource.labelSelector !== undefined)
          query.set('labelSelector', resource.labelSelector);
        const response = await transport.get(
          `${collectionPath(resource)}?${query}`,
          new AbortController().signal,
        );
        const page = JSON.parse(await readBody(response, 512 * 1024 * 1024)) as {
          items?: unknown[];
          metadata?: { continue?: string };
        };
        count += page.items?.length ?? 0;
        continueToken = page.metadata?.continue || undefined;
      } while (continueToken !== undefined);
      return count;
    }),
  );
  return counts.reduce((sum, count) => sum + count, 0);
}
