import { createContext, useContext, useSyncExternalStore } from 'react';
import type { LiveState } from './live';
import type { LiveConnection } from './liveConnection';

/** The app's one live connection, provided at the root. */
export const LiveContext = createContext<LiveConnection | undefined>(undefined);

const connectingState: LiveState = { status: 'connecting' };
const noop = () => () => undefined;

/** Current state of the live connection, re-rendering on change. */
export function useLiveState(): LiveState {
  const connection = useContext(LiveContext);
  return useSyncExternalStore(
    connection?.subscribe ?? noop,
    connection?.getState ?? (() => connectingState),
  );
}
