// Reads a restore request on its own, before anything is looked up: required
// fields, name rules, the timestamp's format, and the one rule that needs only
// the path (never restore over the source).
import { z } from 'zod';
import { badRequest, describeCluster } from './errors';
import { isRfc1123Label, isRfc1123Subdomain } from './names';
import { parseBody } from './request-body';
import { parseRfc3339, type ParsedTime } from './rfc3339';

const requestSchema = z.strictObject({
  backupName: z.string().optional(),
  targetNamespace: z.string().optional(),
  targetName: z.string().optional(),
  pitrTargetTime: z.string().optional(),
});

/** A restore request whose fields are present and well-formed. */
export interface RestoreRequest {
  backupName: string;
  targetNamespace: string;
  targetName: string;
  pitrTarget?: ParsedTime;
}

const labelRule = 'a lowercase RFC 1123 label (a-z, 0-9 and "-", at most 63 characters)';

function required(value: string | undefined, field: string): string {
  if (value === undefined || value === '') throw badRequest(`${field} is required`);
  return value;
}

function checkLabel(value: string, field: string): void {
  if (!isRfc1123Label(value)) throw badRequest(`${field} must be ${labelRule}`);
}

/** Parses the body of `POST .../restore` for the source cluster at `source`. */
export function parseRestoreRequest(
  body: unknown,
  source: { namespace: string; name: string },
): RestoreRequest {
  const raw = parseBody(requestSchema, body);
  const backupName = required(raw.backupName, 'backupName');
  const targetNamespace = required(raw.targetNamespace, 'targetNamespace');
  const targetName = required(raw.targetName, 'targetName');

  if (!isRfc1123Subdomain(backupName))
    throw badRequest('backupName must be a Kubernetes object name');
  checkLabel(targetNamespace, 'targetNamespace');
  checkLabel(targetName, 'targetName');
  if (targetNamespace === source.namespace && targetName === source.name) {
    throw badRequest(
      `the restore target must not overwrite the source ` +
        describeCluster(source.namespace, source.name),
    );
  }

  const request: RestoreRequest = { backupName, targetNamespace, targetName };
  if (raw.pitrTargetTime !== undefined) request.pitrTarget = parsePitr(raw.pitrTargetTime);
  return request;
}

function parsePitr(text: string): ParsedTime {
  const parsed = parseRfc3339(text);
  if (parsed === undefined) {
    throw badRequest(
      'pitrTargetTime must be an RFC 3339 timestamp, for example 2026-03-24T11:15:00Z',
    );
  }
  return parsed;
}

/** Reads `?dryRun=`: absent, `true` or `false`. */
export function parseDryRun(value: unknown): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw badRequest('dryRun must be true or false');
}
