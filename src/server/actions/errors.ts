// Failures of an action, each carrying the HTTP status and the exact text the
// API contract promises. The route module turns them into responses; nothing
// below the routes knows about HTTP beyond these codes.

/** Status codes an action can answer with. */
export type ActionErrorStatus = 400 | 403 | 404 | 409 | 413 | 415 | 503;

/** A refused or failed action, with the client-facing message. */
export class ActionError extends Error {
  readonly statusCode: ActionErrorStatus;
  /** Seconds the client should wait before trying again (503 only). */
  readonly retryAfterSeconds?: number;

  constructor(options: {
    statusCode: ActionErrorStatus;
    message: string;
    retryAfterSeconds?: number;
  }) {
    super(options.message);
    this.name = 'ActionError';
    this.statusCode = options.statusCode;
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export function badRequest(message: string): ActionError {
  return new ActionError({ statusCode: 400, message });
}

export function notFound(message: string): ActionError {
  return new ActionError({ statusCode: 404, message });
}

export function conflict(message: string): ActionError {
  return new ActionError({ statusCode: 409, message });
}

export function unavailable(message: string, retryAfterSeconds?: number): ActionError {
  return retryAfterSeconds === undefined
    ? new ActionError({ statusCode: 503, message })
    : new ActionError({ statusCode: 503, message, retryAfterSeconds });
}

/** `cluster "alpha" in namespace "team-a"`, the way every message names a cluster. */
export function describeCluster(namespace: string, name: string): string {
  return `cluster "${name}" in namespace "${namespace}"`;
}

export function clusterNotFound(namespace: string, name: string): ActionError {
  return notFound(`${describeCluster(namespace, name)} not found`);
}

export function backupNotFound(namespace: string, name: string): ActionError {
  return notFound(`backup "${name}" in namespace "${namespace}" not found`);
}
