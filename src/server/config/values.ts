// Parsers for flag values that several flags share: durations, listen
// addresses, comma lists, booleans. Each is a zod schema over the raw text, so
// a bad value yields one plain message the CLI prefixes with the flag name.
import { z } from 'zod';

const durationPart = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
const durationWhole = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const unitMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of `500ms`, `30s`, `1m`, `1m30s` or `2h`; undefined when malformed. */
export function parseDurationMs(text: string): number | undefined {
  if (!durationWhole.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(durationPart)) {
    total += Number(amount) * (unitMs[unit ?? 'ms'] ?? 1);
  }
  return total;
}

export const duration = z.string().transform((text, ctx) => {
  const ms = parseDurationMs(text.trim());
  if (ms === undefined || ms <= 0) {
    ctx.addIssue({
      code: 'custom',
      message: `"${text}" is not a duration (use e.g. 500ms, 30s, 1m)`,
    });
    return z.NEVER;
  }
  return ms;
});

/** Where the server listens. */
export interface ListenAddress {
  host: string;
  port: number;
}

const hostPort = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

export const listenAddress = z.string().transform((text, ctx): ListenAddress => {
  const match = hostPort.exec(text.trim());
  const port = Number(match?.[2]);
  if (match?.[1] === undefined || !(port >= 0 && port <= 65535)) {
    ctx.addIssue({
      code: 'custom',
      message: `"${text}" is not a host:port address (e.g. 127.0.0.1:8080)`,
    });
    return z.NEVER;
  }
  return { host: match[1].replace(/^\[|\]$/g, ''), port };
});

export const commaList = z.string().transform((text) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== ''),
);

const truthy = new Set(['true', '1', 'yes', 'on']);
const falsy = new Set(['false', '0', 'no', 'off', '']);

export const boolean = z.string().transform((text, ctx) => {
  const value = text.trim().toLowerCase();
  if (truthy.has(value)) return true;
  if (falsy.has(value)) return false;
  ctx.addIssue({ code: 'custom', message: `"${text}" is not a boolean (use true or false)` });
  return z.NEVER;
});

/** A number within bounds, written plainly (`0.8`, `25`). */
export function numberIn(options: { min: number; max: number; isInteger?: boolean }) {
  return z.string().transform((text, ctx) => {
    const value = Number(text.trim());
    const isWhole = options.isInteger !== true || Number.isInteger(value);
    if (
      text.trim() === '' ||
      !Number.isFinite(value) ||
      value < options.min ||
      value > options.max ||
      !isWhole
    ) {
      const kind = options.isInteger === true ? 'a whole number' : 'a number';
      ctx.addIssue({
        code: 'custom',
        message: `"${text}" is not ${kind} from ${options.min} to ${options.max}`,
      });
      return z.NEVER;
    }
    return value;
  });
}

/** One of a fixed set of words. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.string().transform((text, ctx): T[number] => {
    const found = values.find((value) => value === text.trim());
    if (found === undefined) {
      ctx.addIssue({ code: 'custom', message: `"${text}" is not one of ${values.join(', ')}` });
      return z.NEVER;
    }
    return found;
  });
}

export const nonEmpty = z.string().transform((text, ctx) => {
  if (text.trim() === '') {
    ctx.addIssue({ code: 'custom', message: 'must not be empty' });
    return z.NEVER;
  }
  return text.trim();
});
