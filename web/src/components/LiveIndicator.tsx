import { Group, Text, Tooltip } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useLiveState } from '../api/useLive';

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** Whether the page is receiving live updates, and when it will retry if not. */
export function LiveIndicator() {
  const state = useLiveState();
  const now = useNow(1000);
  let label = 'Connecting…';
  let detail = 'Opening the live update stream.';
  if (state.status === 'live') {
    label = 'Live';
    detail = 'Pages update by themselves as clusters change.';
  } else if (state.status === 'reconnecting') {
    const seconds = Math.max(0, Math.ceil((state.retryAt - now) / 1000));
    label = `Offline, retrying in ${seconds}s`;
    detail = 'Live updates are paused; data on screen may be out of date.';
  }
  return (
    <Tooltip label={detail}>
      <Group gap={6} role="status" aria-live="polite" data-testid="live-indicator" tabIndex={0}>
        <span className={`live-dot live-dot-${state.status}`} aria-hidden="true" />
        <Text size="sm">{label}</Text>
      </Group>
    </Tooltip>
  );
}
