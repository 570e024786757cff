// The restore-status route takes its "looks stuck" limit from the server's
// configuration (`--restore-stuck-after`), not from a fixed default.
import { describe, expect, it } from 'vitest';
import type { RestoreStatusResponse } from '../../src/contract/api';
import { registerActionRoutes } from '../../src/server/api/routes/actions';
import { buildTestApp } from './api-app-support';
import { aCluster } from './api-fixtures';

// A restore the operator has not started 45 minutes after it was created.
const createdAt = '2026-03-24T12:00:00Z';
const fortyFiveMinutesLater = new Date('2026-03-24T12:45:00Z');

async function restoreMessage(stuckAfterMs: number | undefined): Promise<string> {
  const { app, store } = await buildTestApp({
    deps: { now: () => fortyFiveMinutesLater },
    routeModules: [
      (instance, deps) =>
        registerActionRoutes(
          instance,
          deps,
          stuckAfterMs === undefined ? {} : { restoreStatus: { stuckAfterMs } },
        ),
    ],
  });
  store.put(
    'clusters',
    aCluster({
      name: 'alpha-restore',
      createdAt,
      isRecoveryBootstrap: true,
      phase: '',
      readyInstances: 0,
      instanceNames: [],
      instancesStatus: {},
      conditions: [],
    }),
  );
  const response = await app.inject({
    method: 'GET',
    url: '/api/clusters/team-a/alpha-restore/restore-status',
  });
  await app.close();
  expect(response.statusCode).toBe(200);
  const body = response.json<RestoreStatusResponse>();
  expect(body.status.phase).toBe('bootstrapping');
  return body.status.message;
}

describe('restore-status and the configured stuck limit', () => {
  it('says a restore looks stuck once it passes the default 30 minutes', async () => {
    expect(await restoreMessage(undefined)).toContain(
      'it has been waiting for the operator for 45 minutes, longer than expected',
    );
  });

  it('stays quiet at 45 minutes when the limit is raised to an hour', async () => {
    const message = await restoreMessage(60 * 60_000);
    expect(message).toBe(
      'restore cluster resource created; waiting for the CNPG operator to start recovery',
    );
  });

  it('speaks up earlier when the limit is lowered', async () => {
    expect(await restoreMessage(10 * 60_000)).toContain('for 45 minutes, longer than expected');
  });
});
