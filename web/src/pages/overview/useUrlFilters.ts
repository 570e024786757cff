import { useCallback, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { type OverviewFilters, readFilters, writeFilters } from './filters';

// Writing the URL on every keystroke re-runs the router for each character; the
// name reaches the URL once typing pauses, while the list follows every keystroke.
const nameWriteDelayMs = 250;

/** The overview's filters: kept in the URL, with the name box updated at once. */
export function useUrlFilters(): {
  filters: OverviewFilters;
  setFilters: (next: OverviewFilters) => void;
} {
  const [params, setParams] = useSearchParams();
  const urlFilters = readFilters(params);
  const [name, setName] = useState(urlFilters.name);
  const writtenName = useRef(urlFilters.name);
  const timer = useRef<number | undefined>(undefined);

  // A URL changed from outside (back button, a pasted link) wins over the text box.
  useEffect(() => {
    if (urlFilters.name === writtenName.current) return;
    writtenName.current = urlFilters.name;
    setName(urlFilters.name);
  }, [urlFilters.name]);

  useEffect(() => () => window.clearTimeout(timer.current), []);

  const setFilters = useCallback(
    (next: OverviewFilters) => {
      setName(next.name);
      window.clearTimeout(timer.current);
      const write = () => {
        writtenName.current = next.name;
        setParams(writeFilters(next), { replace: true });
      };
      const isOnlyName =
        next.namespace === urlFilters.namespace &&
        next.health === urlFilters.health &&
        next.sort === urlFilters.sort;
      if (isOnlyName) timer.current = window.setTimeout(write, nameWriteDelayMs);
      else write();
    },
    [setParams, urlFilters.namespace, urlFilters.health, urlFilters.sort],
  );

  return { filters: { ...urlFilters, name }, setFilters };
}
