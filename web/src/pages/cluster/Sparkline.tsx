import 'uplot/dist/uPlot.min.css';
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import type { MetricsHistoryPoint } from '../../../../src/contract/api';
import type { HistoryField } from './MetricRow';

const height = 40;

function toData(points: MetricsHistoryPoint[], field: HistoryField): uPlot.AlignedData {
  const times: number[] = [];
  const values: (number | null)[] = [];
  for (const point of points) {
    times.push(point.t / 1000);
    values.push(point[field] ?? null);
  }
  return [times, values];
}

function options(width: number): uPlot.Options {
  return {
    width,
    height,
    legend: { show: false },
    cursor: { show: false },
    select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    axes: [{ show: false }, { show: false }],
    scales: { x: { time: true } },
    series: [
      {},
      { stroke: '#228be6', width: 1.5, fill: 'rgba(34, 139, 230, 0.12)', points: { show: false } },
    ],
  };
}

/** A one-hour line of one metric, drawn on a canvas by uPlot. */
export default function Sparkline(props: {
  points: MetricsHistoryPoint[];
  field: HistoryField;
  label: string;
}) {
  const containerRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | undefined>(undefined);

  useEffect(() => {
    const container = containerRef.current;
    if (container === null) return undefined;
    const plot = new uPlot(options(container.clientWidth || 300), [[], []], container);
    plotRef.current = plot;
    const observer = new ResizeObserver(() => {
      plot.setSize({ width: container.clientWidth || 300, height });
    });
    observer.observe(container);
    return () => {
      observer.disconnect();
      plot.destroy();
      plotRef.current = undefined;
    };
  }, []);

  useEffect(() => {
    plotRef.current?.setData(toData(props.points, props.field));
  }, [props.points, props.field]);

  return <div ref={containerRef} className="sparkline" role="img" aria-label={props.label} />;
}
