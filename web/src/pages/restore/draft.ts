import type { RestoreRequest } from '../../../../src/contract/api';
import { parseUtcInput } from './validation';

/** What the user has chosen so far in the restore wizard. */
export interface RestoreDraft {
  backupName: string;
  targetNamespace: string;
  targetName: string;
  usePointInTime: boolean;
  pointInTime: string;
}

/** The request both the dry run and the real restore send. */
export function toRequest(draft: RestoreDraft): RestoreRequest {
  const time = draft.usePointInTime ? parseUtcInput(draft.pointInTime) : undefined;
  return {
    backupName: draft.backupName,
    targetNamespace: draft.targetNamespace,
    targetName: draft.targetName,
    ...(time !== undefined
      ? { pitrTargetTime: new Date(time).toISOString().replace('.000Z', 'Z') }
      : {}),
  };
}
