// Plain-words formatting for times, durations and sizes, shared by every page.

const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** `1536` → `1.5 KiB`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = value >= 100 || unit === 0 ? 0 : 1;
  return `${value.toFixed(digits)} ${units[unit]}`;
}

/** A duration in milliseconds as `45s`, `12m`, `3h 5m`, `4d 2h`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** Milliseconds since an RFC 3339 time, or undefined when it is missing or unreadable. */
export function ageMs(iso: string | undefined, now: number = Date.now()): number | undefined {
  if (iso === undefined || iso === '') return undefined;
  const time = Date.parse(iso);
  return Number.isNaN(time) ? undefined : Math.max(0, now - time);
}

/** `3h 5m ago`, or `never` when there is no time. */
export function formatAge(iso: string | undefined, now: number = Date.now()): string {
  const age = ageMs(iso, now);
  return age === undefined ? 'never' : `${formatDuration(age)} ago`;
}

/** An RFC 3339 time in UTC as `2026-03-24 11:30:00 UTC`. */
export function formatTime(iso: string | undefined): string {
  if (iso === undefined || iso === '') return '–';
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return `${new Date(time).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Duration between two RFC 3339 times, `–` when either is missing. */
export function formatSpan(from: string | undefined, to: string | undefined): string {
  if (from === undefined || to === undefined) return '–';
  const span = Date.parse(to) - Date.parse(from);
  return Number.isNaN(span) ? '–' : formatDuration(span);
}

/** A ratio as a percentage with no decimals. */
export function formatPercent(ratio: number): string {
  return Number.isFinite(ratio) ? `${Math.round(ratio * 100)}%` : '–';
}
