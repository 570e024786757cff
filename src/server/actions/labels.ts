// Labels and annotations Deckhand puts on the objects it creates, so a person
// reading the cluster (and Deckhand after a restart) can tell where they came from.

export const deckhandLabels = {
  /** On Backups Deckhand created: `deckhand`. */
  createdBy: 'deckhand.io/created-by',
  /** On restored Clusters: `deckhand`. */
  restoredBy: 'deckhand.io/restored-by',
} as const;

export const restoreAnnotations = {
  sourceNamespace: 'deckhand.io/restore-source-namespace',
  sourceCluster: 'deckhand.io/restore-source-cluster',
  backup: 'deckhand.io/restore-backup',
  /** The requested point in time, when the restore was point-in-time. */
  targetTime: 'deckhand.io/restore-target-time',
} as const;
