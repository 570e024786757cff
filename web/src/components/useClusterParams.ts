import { useParams } from 'react-router';

/** The `:namespace/:name` of a cluster route (both always present on those routes). */
export function useClusterParams(): { namespace: string; name: string } {
  const params = useParams();
  return { namespace: params.namespace ?? '', name: params.name ?? '' };
}
