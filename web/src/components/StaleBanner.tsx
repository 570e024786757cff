import { Alert, List } from '@mantine/core';
import { useReadiness } from '../api/queries';
import { formatDuration } from './format';

/** Warns when the server's view of Kubernetes is behind (a watch is degraded). */
export function StaleBanner() {
  const { data } = useReadiness();
  const degraded = data?.kinds.filter((kind) => kind.state === 'degraded') ?? [];
  if (degraded.length === 0) return null;
  return (
    <Alert color="orange" title="Data is stale" role="alert" data-testid="stale-banner" mb="md">
      Deckhand has lost its watch on some Kubernetes objects, so what you see may be out of date:
      <List size="sm" mt={4}>
        {degraded.map((kind) => (
          <List.Item key={kind.kind}>
            {kind.kind}
            {kind.staleSeconds !== undefined
              ? `: not updated for ${formatDuration(kind.staleSeconds * 1000)}`
              : ''}
            {kind.error ? ` (${kind.error})` : ''}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}
