import { Anchor, Title } from '@mantine/core';
import { Link } from 'react-router';
import { Empty } from './StateViews';
import { useDocumentTitle } from './useDocumentTitle';

export function NotFoundPage() {
  useDocumentTitle('Not found');
  return (
    <>
      <Title order={1} size="h3" mb="md">
        Page not found
      </Title>
      <Empty title="Nothing lives at this address">
        <Anchor component={Link} to="/">
          Go to the overview
        </Anchor>
      </Empty>
    </>
  );
}
