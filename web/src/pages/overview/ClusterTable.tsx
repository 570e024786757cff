import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import type { ClusterListItem } from '../../../../src/contract/api';
import { ClusterRow, columns } from './ClusterRow';

const rowHeight = 48;
// Matches .cluster-header in app.css: the rows start this far into the scroll box.
const headerHeight = 36;

/**
 * The overview list. Only the rows in view are in the DOM, so ten thousand
 * clusters scroll and filter as smoothly as ten. Header and rows share one
 * scroll box, so on a narrow screen they move sideways together; the header
 * sticks to the top when the rows scroll down.
 */
export function ClusterTable({ items, now }: { items: ClusterListItem[]; now: number }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    scrollMargin: headerHeight,
    overscan: 10,
    getItemKey: (index) => {
      const item = items[index];
      return item ? `${item.namespace}/${item.name}` : index;
    },
  });

  return (
    <div
      ref={scrollRef}
      role="region"
      aria-label="Cluster list"
      className="cluster-table"
      tabIndex={0}
    >
      <div
        role="table"
        aria-label="Clusters"
        aria-rowcount={items.length + 1}
        className="cluster-grid"
      >
        <div role="rowgroup" className="cluster-head">
          <div role="row" aria-rowindex={1} className="cluster-row cluster-header">
            {columns.map((column) => (
              <div role="columnheader" key={column}>
                {column}
              </div>
            ))}
          </div>
        </div>
        <div
          role="rowgroup"
          className="cluster-rows"
          style={{ height: virtualizer.getTotalSize() }}
        >
          {virtualizer.getVirtualItems().map((row) => {
            const item = items[row.index];
            if (item === undefined) return null;
            return (
              <ClusterRow
                key={row.key}
                item={item}
                now={now}
                rowIndex={row.index + 2}
                offset={row.start - headerHeight}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
