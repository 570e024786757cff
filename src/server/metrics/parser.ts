// A streaming parser for the Prometheus text exposition format (version 0.0.4,
// plus the OpenMetrics `# EOF` marker). It is ours rather than an npm package
// because the parsers we tried either threw on escaped quotes or backslashes in
// label values or silently dropped samples they did not understand, and an
// exporter's output is input from outside that must never crash the server.
//
// Chunks are fed as they arrive; only samples whose name is in `wanted` are
// kept, so a multi-megabyte exposition costs one pass and little memory. Lines
// of other families are checked only for a valid metric name, which is enough
// to reject HTML error pages and other garbage without paying for full parsing.
// Error messages never quote the exposition: its text stays out of responses.
//
// Like Prometheus, one malformed line fails the whole exposition: half a
// scrape could otherwise show misleading numbers.

/** One sample of a kept family. Values are IEEE doubles, NaN and infinities included. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** Milliseconds since the epoch, when the exposition carried one. */
  timestampMs?: number;
}

/** The outcome of parsing one exposition. */
export interface ParseResult {
  /** Kept samples by metric name; a wanted name with no samples is absent. */
  families: Map<string, Sample[]>;
  /** `# TYPE` of kept families, when declared. */
  types: Map<string, string>;
  /** Sample lines seen, kept or not. */
  sampleCount: number;
  /**
   * Repeated series (same name and labels) among kept samples. The last one
   * wins, as it would in a Prometheus scrape that tolerated duplicates.
   */
  duplicateCount: number;
  /** Why the exposition was rejected; families are empty when set. */
  error?: string;
}

export interface ParserOptions {
  /** Sample names to keep. */
  wanted: ReadonlySet<string>;
  /**
   * For some names, keep only the series with this label value, such as the
   * one `max_connections` row among hundreds of `cnpg_pg_settings_setting`.
   * Lines are first screened for the raw `label="value"` text, so other
   * series are skipped without being parsed; the value must therefore not
   * contain characters that need escaping.
   */
  only?: ReadonlyMap<string, { label: string; value: string }>;
  /** Longest accepted line in characters; a longer one fails the parse. */
  maxLineLength?: number;
}

const DEFAULT_MAX_LINE_LENGTH = 64 * 1024;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^-?\d+$/;

class LineError extends Error {}

export class ExpositionParser {
  private readonly wanted: ReadonlySet<string>;
  private readonly wantedByLength = new Map<number, string[]>();
  private readonly only = new Map<string, { label: string; value: string; raw: string }>();
  private readonly maxLineLength: number;
  private pending = '';
  private lineNumber = 0;
  private isAtEof = false;
  private lastSkipped = '';
  private error: string | undefined;
  private sampleCount = 0;
  private duplicateCount = 0;
  private readonly series = new Map<string, Map<string, Sample>>();
  private readonly types = new Map<string, string>();

  constructor(options: ParserOptions) {
    this.wanted = options.wanted;
    for (const name of options.wanted) {
      const sameLength = this.wantedByLength.get(name.length) ?? [];
      sameLength.push(name);
      this.wantedByLength.set(name.length, sameLength);
    }
    this.maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
    for (const [name, filter] of options.only ?? []) {
      this.only.set(name, { ...filter, raw: `${filter.label}="${filter.value}"` });
    }
  }

  /** Feeds the next piece of text; pieces may split lines anywhere. */
  push(chunk: string): void {
    if (this.error !== undefined) return;
    let text = this.pending + chunk;
    let start = 0;
    let newline = text.indexOf('\n', start);
    while (newline !== -1 && this.error === undefined) {
      this.handleLine(text, start, newline);
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    text = text.slice(start);
    if (text.length > this.maxLineLength) {
      this.fail(`line ${this.lineNumber + 1} is longer than ${this.maxLineLength} characters`);
      text = '';
    }
    this.pending = this.error === undefined ? text : '';
  }

  /** Ends the input and returns what was kept, or why the text was rejected. */
  end(): ParseResult {
    if (this.error === undefined && this.pending.length > 0) {
      const last = this.pending;
      this.pending = '';
      this.handleLine(last, 0, last.length);
    }
    return this.result();
  }

  private result(): ParseResult {
    const families = new Map<string, Sample[]>();
    if (this.error !== undefined) {
      return {
        families,
        types: new Map(),
        sampleCount: this.sampleCount,
        duplicateCount: 0,
        error: this.error,
      };
    }
    for (const [name, byLabels] of this.series) families.set(name, [...byLabels.values()]);
    return {
      families,
      types: this.types,
      sampleCount: this.sampleCount,
      duplicateCount: this.duplicateCount,
    };
  }

  private fail(reason: string): void {
    this.error ??= reason;
    this.series.clear();
  }

  private handleLine(text: string, start: number, lineEnd: number): void {
    this.lineNumber += 1;
    if (lineEnd - start > this.maxLineLength) {
      this.fail(`line ${this.lineNumber} is longer than ${this.maxLineLength} characters`);
      return;
    }
    try {
      this.parseLine(text, start, lineEnd);
    } catch (error) {
      if (!(error instanceof LineError)) throw error;
      this.fail(`line ${this.lineNumber}: ${error.message}`);
    }
  }

  /**
   * Works on positions in the chunk rather than on a copy of each line: most
   * lines belong to families nobody asked for, and skipping them without
   * allocating is what keeps a large exposition cheap.
   */
  private parseLine(text: string, start: number, lineEnd: number): void {
    let end = lineEnd;
    while (end > start && isBlank(text.charCodeAt(end - 1))) end -= 1;
    let first = start;
    while (first < end && isBlank(text.charCodeAt(first))) first += 1;
    if (first === end) return;
    if (this.isAtEof) throw new LineError('content after # EOF');
    if (text.charCodeAt(first) === HASH) {
      // HELP lines can be long and are never read: only TYPE and EOF are sliced.
      if (isTypeOrEof(text, first)) this.parseComment(text.slice(first, end));
      return;
    }

    this.sampleCount += 1;
    if (this.isRepeatOfSkipped(text, first)) return;
    const nameEnd = scanName(text, first, end);
    const name = this.wantedName(text, first, nameEnd);
    if (name === undefined) this.lastSkipped = text.slice(first, nameEnd);
    if (name === undefined) return;
    const filter = this.only.get(name);
    if (filter !== undefined) {
      if (!text.slice(nameEnd, end).includes(filter.raw)) return;
    }
    const sample = parseSample(text.slice(first, end), name, nameEnd - first);
    if (filter === undefined || sample.labels[filter.label] === filter.value) this.keep(sample);
  }

  /**
   * Series of one family come in a row, so a line starting with the name just
   * skipped (and then `{` or a blank) is skipped without scanning its name.
   */
  private isRepeatOfSkipped(text: string, first: number): boolean {
    const skipped = this.lastSkipped;
    if (skipped === '' || !text.startsWith(skipped, first)) return false;
    const next = text.charCodeAt(first + skipped.length);
    return next === 123 || next === 32 || next === 9;
  }

  private wantedName(text: string, start: number, end: number): string | undefined {
    for (const name of this.wantedByLength.get(end - start) ?? []) {
      if (text.startsWith(name, start)) return name;
    }
    return undefined;
  }

  private parseComment(line: string): void {
    if (line === '# EOF') {
      this.isAtEof = true;
      return;
    }
    if (!/^#[ \t]+TYPE[ \t]/.test(line)) return;
    const parts = line.split(/[ \t]+/);
    const name = parts[2] ?? '';
    const type = parts[3] ?? '';
    if (!METRIC_NAME.test(name) || type === '') throw new LineError('malformed TYPE line');
    if (this.wanted.has(name)) this.types.set(name, type);
  }

  private keep(sample: Sample): void {
    let byLabels = this.series.get(sample.name);
    if (byLabels === undefined) {
      byLabels = new Map();
      this.series.set(sample.name, byLabels);
    }
    const key = seriesKey(sample.labels);
    if (byLabels.has(key)) this.duplicateCount += 1;
    byLabels.set(key, sample);
  }
}

/** Parses a complete exposition in one call. */
export function parseExposition(text: string, options: ParserOptions): ParseResult {
  const parser = new ExpositionParser(options);
  parser.push(text);
  return parser.end();
}

const HASH = 35;

/** `# TYPE` or `# EOF`, allowing several blanks after the `#`. */
function isTypeOrEof(text: string, first: number): boolean {
  let position = first + 1;
  while (text.charCodeAt(position) === 32 || text.charCodeAt(position) === 9) position += 1;
  return text.startsWith('TYPE', position) || text.startsWith('EOF', position);
}

function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 13;
}

function isNameChar(code: number, isFirst: boolean): boolean {
  const isLetter = (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
  const isDigit = code >= 48 && code <= 57;
  return isLetter || code === 95 || code === 58 || (!isFirst && isDigit);
}

/** End of the metric name starting at `start`; throws when it is not a valid name. */
function scanName(text: string, start: number, end: number): number {
  let position = start;
  while (position < end && isNameChar(text.charCodeAt(position), position === start)) position += 1;
  const next = position < end ? text.charCodeAt(position) : 32;
  if (position === start || (next !== 123 && next !== 32 && next !== 9)) {
    throw new LineError('invalid metric name');
  }
  return position;
}

function parseSample(line: string, name: string, nameEnd: number): Sample {
  let labels: Record<string, string> = {};
  let position = nameEnd;
  if (line.charCodeAt(position) === 123) {
    const parsed = parseLabels(line, position + 1);
    labels = parsed.labels;
    position = parsed.end;
  }
  const rest = line
    .slice(position)
    .trim()
    .split(/[ \t]+/);
  if (rest.length < 1 || rest.length > 2 || rest[0] === '') {
    throw new LineError('expected a value and an optional timestamp');
  }
  const sample: Sample = { name, labels, value: parseValue(rest[0] ?? '') };
  if (rest[1] !== undefined) sample.timestampMs = parseTimestamp(rest[1]);
  return sample;
}

function parseLabels(line: string, from: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let position = from;
  for (;;) {
    position = skipBlanks(line, position);
    if (line[position] === '}') return { labels, end: position + 1 };
    const equals = line.indexOf('=', position);
    if (equals === -1) throw new LineError('unterminated label set');
    const labelName = line.slice(position, equals).trim();
    if (!LABEL_NAME.test(labelName)) throw new LineError('invalid label name');
    position = skipBlanks(line, equals + 1);
    if (line[position] !== '"') throw new LineError('label value is not quoted');
    const value = readQuoted(line, position + 1);
    if (Object.hasOwn(labels, labelName)) throw new LineError('label name repeated');
    labels[labelName] = value.text;
    position = skipBlanks(line, value.end);
    if (line[position] === ',') position += 1;
    else if (line[position] !== '}') throw new LineError('expected "," or "}" after a label');
  }
}

function readQuoted(line: string, from: number): { text: string; end: number } {
  let text = '';
  for (let i = from; i < line.length; i += 1) {
    const char = line[i];
    if (char === '"') return { text, end: i + 1 };
    if (char !== '\\') {
      text += char;
      continue;
    }
    const next = line[i + 1];
    if (next === '\\' || next === '"') text += next;
    else if (next === 'n') text += '\n';
    else throw new LineError('invalid escape in a label value');
    i += 1;
  }
  throw new LineError('unterminated label value');
}

function skipBlanks(line: string, from: number): number {
  let position = from;
  while (line[position] === ' ' || line[position] === '\t') position += 1;
  return position;
}

function parseValue(text: string): number {
  switch (text) {
    case 'NaN':
      return Number.NaN;
    case '+Inf':
    case 'Inf':
      return Number.POSITIVE_INFINITY;
    case '-Inf':
      return Number.NEGATIVE_INFINITY;
  }
  if (!DECIMAL.test(text)) throw new LineError('invalid sample value');
  return Number(text);
}

function parseTimestamp(text: string): number {
  if (!INTEGER.test(text)) throw new LineError('invalid timestamp');
  return Number(text);
}

function seriesKey(labels: Record<string, string>): string {
  const names = Object.keys(labels);
  if (names.length === 0) return '';
  names.sort();
  return JSON.stringify(names.map((name) => [name, labels[name]]));
}
