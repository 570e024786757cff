import { Alert, Button, Group, Loader, Text } from '@mantine/core';
import type { ReactNode } from 'react';
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
        <Button mt="sm" size="xs" variant="light" color="red" onClick={props.onRetry}>
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
