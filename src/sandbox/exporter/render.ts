// One scrape of a simulated instance's exporter. A pod whose PostgreSQL is not
// ready answers like the real instance manager with the database down: the
// collector block with `cnpg_collector_up 0` and none of the query metrics.
import { collectorFamilies } from './collector-metrics';
import { instanceState, type InstanceView } from './instance-state';
import {
  archiverFamilies,
  backendFamilies,
  databaseFamilies,
  replicationFamilies,
  settingsFamilies,
} from './query-metrics';
import { renderFamilies } from './text-format';

export function renderInstanceMetrics(view: InstanceView & { scrapes: number }): string {
  const state = instanceState(view);
  const collector = collectorFamilies({
    state,
    instances: view.pods.length,
    scrapes: view.scrapes,
  });
  if (!state.isUp) return renderFamilies(collector);
  return renderFamilies([
    ...backendFamilies(state),
    ...databaseFamilies(state),
    ...replicationFamilies(state),
    ...archiverFamilies(state),
    ...settingsFamilies(state),
    ...collector,
  ]);
}

export type { InstanceView };
