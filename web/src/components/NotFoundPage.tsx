import { Title } from '@mantine/core';
import { NotFound } from './StateViews';
import { useDocumentTitle } from './useDocumentTitle';

export function NotFoundPage() {
  useDocumentTitle('Not found');
  return (
    <>
      <Title order={1} size="h3" mb="md">
        Page not found
      </Title>
      <NotFound title="Nothing lives at this address" />
    </>
  );
}
