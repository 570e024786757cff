// Kubernetes name rules, and the names CNPG derives from a Cluster's name.
// A Cluster whose name is too long for one of them is accepted by the API
// server but never comes up, so Deckhand refuses it before creating anything.

const rfc1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const rfc1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Most characters in a label, and so in a Service, Pod hostname or Job label value. */
export const maxLabelLength = 63;

export function isRfc1123Label(value: string): boolean {
  return value.length <= maxLabelLength && rfc1123Label.test(value);
}

/** Names of most Kubernetes objects (a Backup's, for instance). */
export function isRfc1123Subdomain(value: string): boolean {
  return value.length <= 253 && rfc1123Subdomain.test(value);
}

/**
 * The longest names CNPG derives from a Cluster name during a restore: the
 * first instance's recovery Job (`<name>-1-full-recovery` or
 * `<name>-1-snapshot-recovery`, also a label value), services (`<name>-rw`),
 * and instance pods, whose serial keeps growing as pods are replaced; room is
 * kept for three-digit serials with their WAL volume (`<name>-100-wal`).
 */
export function derivedNames(options: { name: string; isSnapshotRecovery: boolean }): string[] {
  const { name } = options;
  const recoveryJob = options.isSnapshotRecovery
    ? `${name}-1-snapshot-recovery`
    : `${name}-1-full-recovery`;
  return [recoveryJob, `${name}-rw`, `${name}-100`, `${name}-100-wal`, `${name}-100-join`];
}

/** The first derived name that does not fit in a label, if any. */
export function tooLongDerivedName(options: {
  name: string;
  isSnapshotRecovery: boolean;
}): string | undefined {
  return derivedNames(options).find((derived) => derived.length > maxLabelLength);
}

/** The most characters a restore target's name may have. */
export function maxTargetNameLength(options: { isSnapshotRecovery: boolean }): number {
  const longestSuffix = Math.max(
    ...derivedNames({ name: '', ...options }).map((suffix) => suffix.length),
  );
  return maxLabelLength - longestSuffix;
}
