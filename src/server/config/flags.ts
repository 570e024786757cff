// A small command-line reader: `--flag value`, `--flag=value` and bare boolean
// flags, each also settable as DECKHAND_<FLAG> in the environment. A flag on
// the command line beats the environment, which beats the default. Every
// problem names the flag (or variable) it came from.
import type { z } from 'zod';

/** One flag: its schema over the raw text, and its help line. */
export interface FlagSpec<Out = unknown> {
  schema: z.ZodType<Out, string>;
  help: string;
  /** Shown in the help as `--flag <valueName>`. */
  valueName?: string;
  /** Raw default, parsed like any other value. */
  defaultValue?: string;
  /** A switch: present means true; `--flag=false` is allowed too. */
  isSwitch?: boolean;
  /** Read from the command line only (`--help`), never from the environment. */
  isArgvOnly?: boolean;
}

export type FlagTable = Record<string, FlagSpec>;

/** Parsed values, undefined for flags neither given nor defaulted. */
export type FlagValues<T extends FlagTable> = {
  [K in keyof T]: T[K] extends FlagSpec<infer Out> ? Out | undefined : never;
};

/** A configuration mistake, worded for the person starting the command. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** `scrape-interval` → `DECKHAND_SCRAPE_INTERVAL`. */
export function envName(flag: string): string {
  return `DECKHAND_${flag.toUpperCase().replace(/-/g, '_')}`;
}

function readArgv(table: FlagTable, argv: readonly string[]): Map<string, string> {
  const given = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) throw new ConfigError(`unexpected argument "${arg}"`);

    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const spec = table[name];
    if (spec === undefined) throw new ConfigError(`unknown flag --${name}`);

    if (eq !== -1) {
      given.set(name, arg.slice(eq + 1));
    } else if (spec.isSwitch === true) {
      given.set(name, 'true');
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--'))
        throw new ConfigError(`--${name} needs a value`);
      given.set(name, next);
      i += 1;
    }
  }
  return given;
}

/** Parses argv and environment against a flag table. */
export function parseFlags<T extends FlagTable>(
  table: T,
  options: { argv: readonly string[]; env: NodeJS.ProcessEnv },
): FlagValues<T> {
  const given = readArgv(table, options.argv);
  const values: Record<string, unknown> = {};

  for (const [name, spec] of Object.entries(table)) {
    const fromEnv = spec.isArgvOnly === true ? undefined : options.env[envName(name)];
    const raw = given.get(name) ?? fromEnv ?? spec.defaultValue;
    if (raw === undefined) continue;

    const source = given.has(name)
      ? `--${name}`
      : fromEnv !== undefined
        ? envName(name)
        : `--${name} default`;
    const result = spec.schema.safeParse(raw);
    if (!result.success) {
      throw new ConfigError(`${source}: ${result.error.issues[0]?.message ?? 'invalid value'}`);
    }
    values[name] = result.data;
  }
  return values as FlagValues<T>;
}

/** The flags part of a command's help text. */
export function flagHelp(table: FlagTable): string {
  const rows = Object.entries(table).map(([name, spec]) => {
    const left = spec.isSwitch === true ? `--${name}` : `--${name} <${spec.valueName ?? 'value'}>`;
    const fallback = spec.defaultValue === undefined ? '' : ` (default ${spec.defaultValue})`;
    return [left, `${spec.help}${fallback}`] as const;
  });
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`).join('\n');
}
