// Parses request bodies with zod strict objects and words every refusal the
// way the API promises: one sentence naming the field at fault.
import type { z } from 'zod';
import { badRequest } from './errors';

/** Fields a request body schema may hold: all strings. */
type StringFields = z.ZodObject<Record<string, z.ZodType<string | undefined>>>;

function issueText(issue: z.core.$ZodIssue): string {
  const field = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => `"${key}"`).join(', ');
    return issue.keys.length === 1 ? `unknown field ${keys}` : `unknown fields ${keys}`;
  }
  if (field === '') return 'request body must be a JSON object';
  if (issue.code === 'invalid_type') return `${field} must be a ${issue.expected}`;
  return `${field} is invalid`;
}

/**
 * Parses `body` (undefined when the request had none, which reads as `{}`)
 * against a strict schema; a 400 with the first problem otherwise.
 */
export function parseBody<S extends StringFields>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body === undefined ? {} : body);
  if (result.success) return result.data;
  const first = result.error.issues[0];
  throw badRequest(first === undefined ? 'request body is invalid' : issueText(first));
}
