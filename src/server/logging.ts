// The process logger: pino JSON for machines, pino-pretty on a terminal.
// pino-pretty runs as an in-process stream rather than a transport worker so
// the bundled server needs no separate worker file at run time.
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { LogLevel } from './config/serve-config';

export interface LoggerOptions {
  level: LogLevel;
  format: 'json' | 'pretty';
  /** Where lines go; stdout by default. */
  destination?: DestinationStream;
  /** Colours for the pretty format. */
  isColored?: boolean;
}

/**
 * Field names that must never be written even if a caller logs a whole
 * object by mistake: credentials and the scraper's pod addresses.
 */
const redactedPaths = [
  'podIP',
  '*.podIP',
  'token',
  '*.token',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  '*.headers.cookie',
];

export function createLogger(options: LoggerOptions): Logger {
  const base = {
    level: options.level,
    base: { name: 'deckhand' },
    redact: { paths: redactedPaths, censor: '<redacted>' },
  };
  if (options.format === 'pretty') {
    const stream = pretty({
      colorize: options.isColored ?? false,
      sync: true,
      ignore: 'pid,hostname,name',
      translateTime: 'SYS:HH:MM:ss.l',
      ...(options.destination === undefined ? {} : { destination: options.destination }),
    });
    return pino(base, stream);
  }
  return options.destination === undefined ? pino(base) : pino(base, options.destination);
}
