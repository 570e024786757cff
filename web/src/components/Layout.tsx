import { Anchor, Group, Text } from '@mantine/core';
import { Suspense, useEffect, useRef } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { LiveIndicator } from './LiveIndicator';
import { SignInGate } from './SignInGate';
import { StaleBanner } from './StaleBanner';
import { Loading } from './StateViews';

/** Header, banners and the page; moves focus to the page when the route changes. */
export function Layout() {
  const { pathname } = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const previousPath = useRef(pathname);

  useEffect(() => {
    if (previousPath.current === pathname) return;
    previousPath.current = pathname;
    mainRef.current?.focus();
  }, [pathname]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <Group justify="space-between" wrap="nowrap">
          <Group gap="lg">
            <Anchor component={Link} to="/" className="brand" underline="never">
              Deckhand
            </Anchor>
            <Text size="sm" c="dimmed" className="tagline">
              CloudNativePG console
            </Text>
          </Group>
          <LiveIndicator />
        </Group>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1} className="app-main">
        <SignInGate>
          <StaleBanner />
          <Suspense fallback={<Loading label="Loading page…" />}>
            <Outlet />
          </Suspense>
        </SignInGate>
      </main>
    </div>
  );
}
