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
  private readonly maxLineLength: number;
  private pending = '';
  private lineNumber = 0;
  private isAtEof = false;
  private error: string | undefined;
  private sampleCount = 0;
  private duplicateCount = 0;
  private readonly series = new Map<string, Map<string, Sample>>();
  private readonly types = new Map<string, string>();

  constructor(options: ParserOptions) {
    this.wanted = options.wanted;
    this.maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
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

  private handleLine(text: string, start: number, end: number): void {
    this.lineNumber += 1;
    if (end - start > this.maxLineLength) {
      this.fail(`line ${this.lineNumber} is longer than ${this.maxLineLength} characters`);
      return;
    }
    let line = text.slice(start, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    try {
      this.parseLine(line);
    } catch (error) {
      if (!(error instanceof LineError)) throw error;
      this.fail(`line ${this.lineNumber}: ${error.message}`);
    }
  }

  private parseLine(line: string): void {
    const trimmed = line.trim();
    if (trimmed === '') return;
    if (this.isAtEof) throw new LineError('content after # EOF');
    if (trimmed.startsWith('#')) {
      this.parseComment(trimmed);
      return;
    }
    this.sampleCount += 1;
    const nameEnd = findNameEnd(trimmed);
    const name = trimmed.slice(0, nameEnd);
    if (!METRIC_NAME.test(name)) throw new LineError('invalid metric name');
    if (!this.wanted.has(name)) return;
    this.keep(parseSample(trimmed, name, nameEnd));
  }

  private parseComment(line: string): void {
    if (line === '# EOF') {
      this.isAtEof = true;
      return;
    }
    const parts = line.split(/[ \t]+/);
    if (parts[1] !== 'TYPE') return;
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

function findNameEnd(line: string): number {
  for (let i = 0; i < line.length; i += 1) {
    const code = line.charCodeAt(i);
    if (code === 123 /* { */ || code === 32 || code === 9) return i;
  }
  return line.length;
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
