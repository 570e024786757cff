import { Text, Timeline } from '@mantine/core';
import type { RestorePhase, RestoreStatus } from '../../../../src/contract/api';
import { formatTime } from '../../components/format';

interface Stage {
  phase: RestorePhase;
  title: string;
  at: string | undefined;
  explanation: string;
}

function stagesOf(status: RestoreStatus): Stage[] {
  const { timestamps } = status;
  const stages: Stage[] = [
    {
      phase: 'bootstrapping',
      title: 'Bootstrapping',
      at: timestamps.bootstrappingStartedAt,
      explanation: 'The Cluster object exists; CloudNativePG prepares the first instance.',
    },
    {
      phase: 'recovering',
      title: 'Recovering',
      at: timestamps.recoveringStartedAt,
      explanation: 'The backup is being restored and WAL replayed up to the target.',
    },
  ];
  if (status.phase === 'failed') {
    stages.push({
      phase: 'failed',
      title: 'Failed',
      at: timestamps.failedAt,
      explanation: status.error ?? status.message,
    });
  } else {
    stages.push({
      phase: 'ready',
      title: 'Ready',
      at: timestamps.readyAt,
      explanation: 'The new cluster accepts connections.',
    });
  }
  return stages;
}

const order: RestorePhase[] = ['bootstrapping', 'recovering', 'ready'];

function reachedIndex(status: RestoreStatus): number {
  if (status.phase === 'failed') return 2;
  return order.indexOf(status.phase);
}

/** Bootstrapping → recovering → ready (or failed), with when each stage began. */
export function RestoreTimeline({ status }: { status: RestoreStatus }) {
  const stages = stagesOf(status);
  return (
    <Timeline
      active={reachedIndex(status)}
      bulletSize={18}
      lineWidth={2}
      color={status.phase === 'failed' ? 'red' : 'teal'}
      data-testid="restore-timeline"
    >
      {stages.map((stage, index) => {
        const isReached = index <= reachedIndex(status);
        return (
          <Timeline.Item
            key={stage.phase}
            title={stage.title}
            data-testid={`stage-${stage.phase}`}
            data-reached={isReached}
          >
            <Text
              size="sm"
              c={isReached ? undefined : 'dimmed'}
              className={stage.phase === 'failed' ? 'text-critical' : undefined}
            >
              {stage.explanation}
            </Text>
            <Text size="xs" c="dimmed">
              {stage.at ? formatTime(stage.at) : isReached ? 'time not recorded' : 'not yet'}
            </Text>
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}
