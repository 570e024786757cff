import { Alert, Button, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, signIn } from '../api/client';
import { useApiVersion } from '../api/queries';

/** Shows the page once the server knows who is asking; a sign-in form otherwise. */
export function SignInGate({ children }: { children: ReactNode }) {
  const version = useApiVersion();
  const error = version.error;
  if (!(error instanceof ApiError) || error.status !== 401) return <>{children}</>;
  if (error.authMode === 'token') return <TokenSignIn />;
  return (
    <Alert color="orange" title="Sign-in required" role="alert">
      Deckhand expects your identity from the sign-in proxy in front of it, and this request carried
      none. Reload the page to sign in through the proxy.
    </Alert>
  );
}

function TokenSignIn() {
  const queryClient = useQueryClient();
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [isBusy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      await signIn(token);
      setToken('');
      await queryClient.invalidateQueries();
    } catch (error) {
      setProblem(error instanceof Error ? error.message : 'sign-in failed');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder p="lg" maw={520} mx="auto" mt="xl">
      <form onSubmit={(event) => void submit(event)}>
        <Stack>
          <Title order={1} size="h3">
            Sign in
          </Title>
          <Text size="sm">
            Paste a Kubernetes bearer token (for example from <code>kubectl create token</code>).
            Deckhand checks it with the API server and keeps it on the server side only; your
            browser gets a session cookie.
          </Text>
          <PasswordInput
            label="Bearer token"
            value={token}
            onChange={(event) => setToken(event.currentTarget.value)}
            required
            autoComplete="off"
          />
          {problem !== undefined && (
            <Alert color="red" role="alert">
              {problem}
            </Alert>
          )}
          <Button type="submit" loading={isBusy} disabled={token.trim() === ''}>
            Sign in
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}
