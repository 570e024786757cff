import '@mantine/core/styles.css';
import './app.css';
import { localStorageColorSchemeManager, MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { shouldRetry } from './api/client';
import { LiveConnection } from './api/liveConnection';
import { LiveContext } from './api/useLive';
import { router } from './routes';
import { theme } from './theme';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: { staleTime: 2_000, refetchOnWindowFocus: true, retry: shouldRetry },
  },
});

const live = new LiveConnection(queryClient);
live.start();

// The page runs under a CSP without 'unsafe-inline': Mantine must not add <style>
// tags, so its CSS variables and global classes come from the static stylesheet.
const colorSchemeManager = localStorageColorSchemeManager({ key: 'deckhand-color-scheme' });

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <MantineProvider
      theme={theme}
      defaultColorScheme="auto"
      colorSchemeManager={colorSchemeManager}
      withCssVariables={false}
      withGlobalClasses={false}
    >
      <QueryClientProvider client={queryClient}>
        <LiveContext.Provider value={live}>
          <RouterProvider router={router} />
        </LiveContext.Provider>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
