// RFC 3339 timestamps as users type them and as Kubernetes writes them.
// Date.parse alone accepts many other forms and rolls 30 February over into
// March, so the text is matched first and each calendar field checked.

const pattern =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-](\d{2}):(\d{2}))$/;

export interface ParsedTime {
  /** Milliseconds since the epoch (fractions below a millisecond dropped). */
  epochMs: number;
  /** The text with `T` and `Z` upper-cased, which every consumer accepts. */
  canonical: string;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function field(match: RegExpExecArray, index: number): number {
  return Number(match[index] ?? 'NaN');
}

function hasValidFields(match: RegExpExecArray): boolean {
  const [year, month, day] = [field(match, 1), field(match, 2), field(match, 3)];
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month))) return false;
  if (!(field(match, 4) <= 23 && field(match, 5) <= 59 && field(match, 6) <= 60)) return false;
  const isUtc = match[9] === undefined;
  return isUtc || (field(match, 9) <= 23 && field(match, 10) <= 59);
}

/** Parses an RFC 3339 timestamp; undefined for anything else. */
export function parseRfc3339(text: string): ParsedTime | undefined {
  const match = pattern.exec(text);
  if (match === null || !hasValidFields(match)) return undefined;
  const canonical = text.toUpperCase();
  const epochMs = Date.parse(canonical.replace(/:60(\.\d+)?(?=[Z+-])/, ':59$1'));
  if (Number.isNaN(epochMs)) return undefined;
  return { epochMs, canonical };
}

/** Epoch milliseconds of a Kubernetes timestamp, or undefined when absent or malformed. */
export function timeOf(text: string | undefined): number | undefined {
  return text === undefined ? undefined : parseRfc3339(text)?.epochMs;
}
