// A small access policy for the sandbox, so that Deckhand's authentication
// (TokenReview) and per-user authorization (SubjectAccessReview) can be
// exercised without a real cluster. The file is YAML:
//
//   users:
//     - { name: alice, token: alice-token, groups: [dba] }
//   rules:
//     - subjects: [{ user: alice }, { group: dba }]
//       verbs: [create, get]
//       resources: [backups, clusters]      # plural names; "*" for all
//       namespaces: [team-a]                # omit for every namespace
//
// A cluster-wide review (no namespace) is allowed only by a rule without
// `namespaces`, as RBAC treats a RoleBinding versus a ClusterRoleBinding.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

const subjectSchema = z.union([
  z.object({ user: z.string().min(1) }).strict(),
  z.object({ group: z.string().min(1) }).strict(),
]);

const policySchema = z
  .object({
    users: z
      .array(
        z
          .object({
            name: z.string().min(1),
            token: z.string().min(8),
            groups: z.array(z.string()).default([]),
          })
          .strict(),
      )
      .default([]),
    rules: z
      .array(
        z
          .object({
            subjects: z.array(subjectSchema).min(1),
            verbs: z.array(z.string().min(1)).min(1),
            resources: z.array(z.string().min(1)).min(1),
            namespaces: z.array(z.string().min(1)).optional(),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

/** A parsed policy. */
export type AccessPolicy = z.infer<typeof policySchema>;

/** What a SubjectAccessReview asks. */
export interface AccessQuestion {
  user: string;
  groups: readonly string[];
  verb: string;
  resource: string;
  namespace?: string;
}

/** Parses policy text; throws with the offending path on a bad file. */
export function parsePolicy(text: string): AccessPolicy {
  const result = policySchema.safeParse(parse(text));
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(
      `invalid access policy at ${issue?.path.join('.') ?? '(root)'}: ${issue?.message}`,
    );
  }
  return result.data;
}

/** Reads and parses a policy file. */
export function loadPolicy(path: string): AccessPolicy {
  return parsePolicy(readFileSync(path, 'utf8'));
}

/** The user a token belongs to, if any. */
export function userForToken(
  policy: AccessPolicy,
  token: string,
): { name: string; groups: string[] } | undefined {
  const user = policy.users.find((candidate) => candidate.token === token);
  return user === undefined ? undefined : { name: user.name, groups: user.groups };
}

/** Whether some rule allows the question. */
export function isAllowed(policy: AccessPolicy, question: AccessQuestion): boolean {
  return policy.rules.some((rule) => {
    const isSubject = rule.subjects.some((subject) =>
      'user' in subject ? subject.user === question.user : question.groups.includes(subject.group),
    );
    const isVerb = rule.verbs.includes('*') || rule.verbs.includes(question.verb);
    const isResource = rule.resources.includes('*') || rule.resources.includes(question.resource);
    const isNamespace =
      rule.namespaces === undefined ||
      (question.namespace !== undefined && rule.namespaces.includes(question.namespace));
    return isSubject && isVerb && isResource && isNamespace;
  });
}
