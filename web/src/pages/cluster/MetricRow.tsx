import { Progress, Text } from '@mantine/core';
import { lazy, Suspense } from 'react';
import type { Health, MetricsHistoryPoint } from '../../../../src/contract/api';
import { formatPercent } from '../../components/format';
import { levelColor, levelTextClass } from './levels';

// uPlot is only needed once a cluster page shows charts; it stays out of the first bundle.
const Sparkline = lazy(() => import('./Sparkline'));

export type HistoryField = Exclude<keyof MetricsHistoryPoint, 't'>;

/** A labelled value, an optional bar against its limit, and its last hour as a sparkline. */
export function MetricRow(props: {
  label: string;
  value: string;
  level: Health;
  ratio?: number | undefined;
  points: MetricsHistoryPoint[];
  field: HistoryField;
}) {
  // A line needs two points; with fewer, uPlot draws an empty box.
  const hasHistory = props.points.filter((point) => point[props.field] !== undefined).length >= 2;
  return (
    <div className="metric">
      <div className="metric-line">
        <Text size="xs" fw={600}>
          {props.label}
        </Text>
        <Text size="xs" className={levelTextClass[props.level]} ta="right">
          {props.value}
        </Text>
      </div>
      {props.ratio !== undefined ? (
        <Progress
          value={Math.min(100, props.ratio * 100)}
          color={levelColor[props.level]}
          size="sm"
          aria-label={`${props.label}: ${formatPercent(props.ratio)} used`}
        />
      ) : null}
      {hasHistory ? (
        <Suspense fallback={<div className="sparkline" />}>
          <Sparkline
            points={props.points}
            field={props.field}
            label={`${props.label}, last hour`}
          />
        </Suspense>
      ) : (
        <Text size="xs" c="dimmed" className="sparkline sparkline-empty">
          No history yet
        </Text>
      )}
    </div>
  );
}
