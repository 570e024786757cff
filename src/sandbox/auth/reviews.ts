// Serves the two review APIs a real API server offers to delegated
// authenticators: TokenReview (who owns this token) and SubjectAccessReview
// (may this user do that), answered from the sandbox's access policy.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isAllowed, userForToken, type AccessPolicy } from './policy';

const tokenReviewPath = '/apis/authentication.k8s.io/v1/tokenreviews';
const accessReviewPath = '/apis/authorization.k8s.io/v1/subjectaccessreviews';
const maxBodyBytes = 64 * 1024;

/** Handles a review request; false when the path is not a review path. */
export async function handleReview(
  policy: AccessPolicy,
  input: { req: IncomingMessage; res: ServerResponse; url: URL },
): Promise<boolean> {
  const { req, res, url } = input;
  if (url.pathname !== tokenReviewPath && url.pathname !== accessReviewPath) return false;
  if (req.method !== 'POST') {
    sendStatus(res, { code: 405, reason: 'MethodNotAllowed', message: 'only create is allowed' });
    return true;
  }
  const body = await readJson(req);
  if (body === undefined) {
    sendStatus(res, {
      code: 400,
      reason: 'BadRequest',
      message: 'request body is not a JSON object',
    });
    return true;
  }
  const spec = record(body.spec) ?? {};
  const answer =
    url.pathname === tokenReviewPath ? tokenReview(policy, spec) : accessReview(policy, spec);
  res.writeHead(201, { 'content-type': 'application/json' });
  res.end(JSON.stringify(answer));
  return true;
}

function tokenReview(policy: AccessPolicy, spec: Record<string, unknown>): unknown {
  const token = typeof spec.token === 'string' ? spec.token : '';
  const user = userForToken(policy, token);
  return {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenReview',
    spec: {},
    status:
      user === undefined
        ? { authenticated: false, error: 'token not recognised' }
        : { authenticated: true, user: { username: user.name, groups: user.groups } },
  };
}

function accessReview(policy: AccessPolicy, spec: Record<string, unknown>): unknown {
  const attributes = record(spec.resourceAttributes) ?? {};
  const groups = Array.isArray(spec.groups)
    ? spec.groups.filter((group): group is string => typeof group === 'string')
    : [];
  const allowed = isAllowed(policy, {
    user: typeof spec.user === 'string' ? spec.user : '',
    groups,
    verb: typeof attributes.verb === 'string' ? attributes.verb : '',
    resource: typeof attributes.resource === 'string' ? attributes.resource : '',
    ...(typeof attributes.namespace === 'string' && attributes.namespace !== ''
      ? { namespace: attributes.namespace }
      : {}),
  });
  return {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SubjectAccessReview',
    spec,
    status: allowed ? { allowed: true } : { allowed: false, reason: 'no policy rule allows it' },
  };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBodyBytes) return undefined;
    chunks.push(buffer);
  }
  try {
    return record(JSON.parse(Buffer.concat(chunks).toString('utf8')));
  } catch {
    return undefined;
  }
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function sendStatus(
  res: ServerResponse,
  status: { code: number; reason: string; message: string },
): void {
  res.writeHead(status.code, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Status',
      status: 'Failure',
      message: status.message,
      reason: status.reason,
      code: status.code,
    }),
  );
}
