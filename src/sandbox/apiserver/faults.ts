// Faults the API side of the sandbox injects on command, so clients'
// recovery paths (relist on 410, backoff on 429/5xx, a kind forbidden by
// RBAC, detection of a silent stream) can be exercised against a server that
// behaves badly on purpose.
import {
  forbiddenFor,
  internalError,
  serviceUnavailable,
  tooManyRequests,
  tooOldResourceVersion,
  type ApiError,
} from '../store/errors';
import type { RequestAttributes } from './request-info';

export interface FailNextOptions {
  count: number;
  status: 403 | 429 | 500 | 503;
  retryAfterSeconds?: number;
  /**
   * Fail only requests for this resource, as a plural (`clusters`) or a plural
   * with its group (`clusters.postgresql.cnpg.io`); other requests pass and do
   * not use up the count.
   */
  resource?: string;
}

/** A request as the fault state judges it. */
export interface FaultRequest {
  /** Undefined for /version, discovery and /openapi, which RBAC lets everyone read. */
  attributes: RequestAttributes | undefined;
  /** The user RBAC would name: the access policy's user for the token, else system:anonymous. */
  user: string;
}

/** What the watch streams do on command; implemented by the watch registry. */
export interface WatchControl {
  closeAll(): void;
  goneInStream(): void;
  setStalled(stalled: boolean): void;
}

export interface ApiFaults {
  /** Ends every open watch stream (as a dropped connection would). */
  closeAllWatches(): void;
  /** Answers the next watch request with HTTP 410 Gone. */
  nextWatchGone(): void;
  /** Sends an ERROR event with a 410 Status in every open stream, then ends them. */
  goneInStream(): void;
  /** While on, streams stay open but say nothing: no events, no bookmarks. */
  stallWatches(on: boolean): void;
  /** Delays every API request by this many milliseconds (0 turns it off). */
  setLatency(ms: number): void;
  /**
   * Fails the next `count` API requests with the given status. A 403 reads as
   * RBAC's denial and hits resource requests only, never /version or discovery.
   */
  failNext(options: FailNextOptions): void;
  /** Clears every fault. */
  reset(): void;
}

export class FaultState implements ApiFaults {
  latencyMs = 0;
  private pendingWatchGone = 0;
  private failures: FailNextOptions | undefined;

  constructor(private readonly watches: WatchControl) {}

  closeAllWatches(): void {
    this.watches.closeAll();
  }

  nextWatchGone(): void {
    this.pendingWatchGone++;
  }

  goneInStream(): void {
    this.watches.goneInStream();
  }

  stallWatches(on: boolean): void {
    this.watches.setStalled(on);
  }

  setLatency(ms: number): void {
    this.latencyMs = Math.max(0, Math.min(ms, 120_000));
  }

  failNext(options: FailNextOptions): void {
    this.failures = options.count > 0 ? { ...options } : undefined;
  }

  reset(): void {
    this.latencyMs = 0;
    this.pendingWatchGone = 0;
    this.failures = undefined;
    this.watches.setStalled(false);
  }

  /** Consumes a pending "next watch gone" fault when `url` starts a watch. */
  takeWatchGoneFor(url: URL): boolean {
    const isWatch = ['true', '1', 'True'].includes(url.searchParams.get('watch') ?? '');
    if (!isWatch || this.pendingWatchGone === 0) return false;
    this.pendingWatchGone--;
    return true;
  }

  watchGoneError(currentResourceVersion: number): ApiError {
    return tooOldResourceVersion(currentResourceVersion, currentResourceVersion + 1);
  }

  /** Consumes one pending failure that applies to the request, as the error to answer with. */
  takeFailure(request: FaultRequest): ApiError | undefined {
    const failures = this.failures;
    if (failures === undefined || !appliesTo(failures, request.attributes)) return undefined;
    failures.count--;
    if (failures.count <= 0) this.failures = undefined;
    if (failures.status === 403 && request.attributes !== undefined) {
      return rbacDenial(request.attributes, request.user);
    }
    if (failures.status === 429) return tooManyRequests(failures.retryAfterSeconds ?? 1);
    if (failures.status === 503) return serviceUnavailable(failures.retryAfterSeconds);
    return internalError('injected fault');
  }
}

function appliesTo(failures: FailNextOptions, attributes: RequestAttributes | undefined): boolean {
  if (failures.resource !== undefined) {
    if (attributes === undefined) return false;
    const qualified =
      attributes.group === '' ? attributes.resource : `${attributes.resource}.${attributes.group}`;
    return failures.resource === attributes.resource || failures.resource === qualified;
  }
  return failures.status !== 403 || attributes !== undefined;
}

/** The 403 the apiserver's authorization filter writes when RBAC allows nothing. */
function rbacDenial(attributes: RequestAttributes, user: string): ApiError {
  const { verb, group, resource, subresource, namespace, name } = attributes;
  const target = subresource === undefined ? resource : `${resource}/${subresource}`;
  const scope =
    namespace === undefined ? 'at the cluster scope' : `in the namespace "${namespace}"`;
  return forbiddenFor({
    ref: { group, resource },
    ...(name === undefined ? {} : { name }),
    reason: `User "${user}" cannot ${verb} resource "${target}" in API group "${group}" ` + scope,
  });
}
