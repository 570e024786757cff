// Who is asking, and how Deckhand finds out. The mode is chosen at start-up
// with `--auth`; see docs/security.md for the trust model of each.

/** How requests are authenticated. */
export type AuthMode = 'none' | 'proxy' | 'token';

/** A person (or automation) as Kubernetes knows them. */
export interface Identity {
  /** User name, as the authenticator reported it. */
  name: string;
  /** Groups, as the authenticator reported them. */
  groups: string[];
  /** The session this identity came from (token mode only). */
  sessionId?: string;
}

/** One permission to check with a SubjectAccessReview. */
export interface AccessCheck {
  verb: 'create' | 'get' | 'list';
  group: string;
  resource: string;
  /** Empty means cluster-wide. */
  namespace?: string;
}
