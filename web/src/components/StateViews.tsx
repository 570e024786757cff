import { Alert, Anchor, Button, Group, Loader, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../api/client';

/** A labelled spinner for data that is on its way. */
export function Loading({ label }: { label: string }) {
  return (
    <Group gap="xs" role="status" aria-live="polite" className="state-view">
      <Loader size="sm" />
      <Text size="sm">{label}</Text>
    </Group>
  );
}

/** The API's own error text, with a retry button. */
export function ErrorState(props: { title: string; error: unknown; onRetry?: () => void }) {
  const message =
    props.error instanceof ApiError || props.error instanceof Error
      ? props.error.message
      : 'Unexpected error';
  return (
    <Alert color="red" title={props.title} role="alert" className="state-view">
      <Text size="sm">{message}</Text>
      {props.onRetry ? (
        <Button mt="sm" size="xs" variant="default" onClick={props.onRetry}>
          Try again
        </Button>
      ) : null}
    </Alert>
  );
}

/** What to show when a list has nothing in it, and what that means. */
export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Alert color="gray" title={title} className="state-view">
      {children}
    </Alert>
  );
}

/** Something the address names does not exist: not an error to retry, so a way back instead. */
export function NotFound(props: {
  title: string;
  children?: ReactNode;
  /** Where to go instead; the overview unless given. */
  back?: { to: string; label: string };
}) {
  const back = props.back ?? { to: '/', label: 'Back to the overview' };
  return (
    <Alert
      color="gray"
      title={props.title}
      role="status"
      className="state-view"
      data-testid="not-found"
    >
      {props.children ? <Text size="sm">{props.children}</Text> : null}
      <Anchor component={Link} to={back.to} size="sm" mt="xs" display="inline-block">
        {back.label}
      </Anchor>
    </Alert>
  );
}

/** The cluster in the address is unknown to the server (it answered 404). */
export function ClusterNotFound({ namespace, name }: { namespace: string; name: string }) {
  return (
    <NotFound title="Cluster not found">
      Deckhand knows no cluster {name} in namespace {namespace}. It may have been deleted, or the
      address may be mistyped.
    </NotFound>
  );
}
