// Everything route modules need, handed to them by the app builder (api/app.ts).
import type { IncomingMessage } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import type { ApiVersionResponse } from '../../contract/api';
import type { Logger } from 'pino';
import type { MetricsReader } from '../metrics/types';
import type { StoreReader } from '../store/types';

/** Dependencies shared by every route module. */
export interface ApiDeps {
  store: StoreReader;
  metrics: MetricsReader;
  /** Kubernetes access for writes and fresh reads (actions). */
  kubeConfig: KubeConfig;
  logger: Logger;
  /** `--read-only`: every mutation answers 503. */
  isReadOnly: boolean;
  /** Time source, replaceable in tests. */
  now: () => Date;
  /**
   * Who the caller is and what they may do (in one namespace, or cluster-wide
   * without one), for `GET /api`; absent means no authentication.
   */
  describeCaller?: (
    request: IncomingMessage,
    namespace?: string,
  ) => Promise<Pick<ApiVersionResponse, 'auth' | 'user' | 'permissions'>>;
}
