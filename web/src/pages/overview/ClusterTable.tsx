import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import type { ClusterListItem } from '../../../../src/contract/api';
import { ClusterRow, columns } from './ClusterRow';
import type { OverviewSort } from './filters';

const rowHeight = 48;
// Matches .cluster-header in app.css: the rows start this far into the scroll box.
const headerHeight = 36;

/** Columns whose header sorts the list, and the order each gives. */
const sortableColumns: Record<string, OverviewSort> = {
  Cluster: '',
  Health: 'health',
  'Last backup': 'backup',
};

function ColumnHeader(props: {
  column: string;
  sort: OverviewSort;
  onSort: (sort: OverviewSort) => void;
}) {
  const order = sortableColumns[props.column];
  if (order === undefined) return <div role="columnheader">{props.column}</div>;
  const isActive = props.sort === order;
  return (
    <div role="columnheader" aria-sort={isActive ? 'ascending' : 'none'}>
      <button
        type="button"
        className="sort-button"
        onClick={() => props.onSort(order)}
        data-testid={`sort-${order || 'name'}`}
      >
        {props.column}
        {isActive ? ' ▲' : ''}
      </button>
    </div>
  );
}

/**
 * The overview list. Only the rows in view are in the DOM, so ten thousand
 * clusters scroll and filter as smoothly as ten. Header and rows share one
 * scroll box, so on a narrow screen they move sideways together; the header
 * sticks to the top when the rows scroll down. The Cluster, Health and Last
 * backup headers choose the order.
 */
export function ClusterTable(props: {
  items: readonly ClusterListItem[];
  now: number;
  sort: OverviewSort;
  onSort: (sort: OverviewSort) => void;
}) {
  const { items, now } = props;
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
              <ColumnHeader key={column} column={column} sort={props.sort} onSort={props.onSort} />
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
