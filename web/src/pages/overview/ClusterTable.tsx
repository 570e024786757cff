import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import type { ClusterListItem } from '../../../../src/contract/api';
import { ClusterRow, columns } from './ClusterRow';

const rowHeight = 48;

/**
 * The overview list. Only the rows in view are in the DOM, so ten thousand
 * clusters scroll and filter as smoothly as ten.
 */
export function ClusterTable({ items, now }: { items: ClusterListItem[]; now: number }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 10,
    getItemKey: (index) => {
      const item = items[index];
      return item ? `${item.namespace}/${item.name}` : index;
    },
  });

  return (
    <div
      role="table"
      aria-label="Clusters"
      aria-rowcount={items.length + 1}
      className="cluster-table"
    >
      <div role="rowgroup">
        <div role="row" aria-rowindex={1} className="cluster-row cluster-header">
          {columns.map((column) => (
            <div role="columnheader" key={column}>
              {column}
            </div>
          ))}
        </div>
      </div>
      <div
        ref={scrollRef}
        role="rowgroup"
        className="cluster-scroll"
        tabIndex={0}
        aria-label="Cluster rows"
      >
        <div className="cluster-rows" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((row) => {
            const item = items[row.index];
            if (item === undefined) return null;
            return (
              <ClusterRow
                key={row.key}
                item={item}
                now={now}
                rowIndex={row.index + 2}
                offset={row.start}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
