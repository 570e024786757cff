import type { ReactNode } from 'react';

/**
 * A table's sideways scroll box for narrow screens. It takes focus so keyboard
 * users can scroll it too, and is named after the table it holds.
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
