import cronstrue from 'cronstrue';

/** A schedule in words, with a warning when CNPG will read it differently than it looks. */
export interface ScheduleText {
  words: string;
  warning?: string;
}

function describe(expression: string): string | undefined {
  try {
    return cronstrue.toString(expression, { use24HourTimeFormat: true, verbose: false });
  } catch {
    return undefined;
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * CNPG schedules have six fields, seconds first. A five-field schedule is
 * accepted, but CNPG still reads its first field as seconds (the day of the week
 * becomes optional), so `0 1 * * *` fires every hour at minute 1, not daily at 01:00.
 */
export function describeSchedule(schedule: string): ScheduleText {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length === 5) {
    const actual = describe(`${fields.join(' ')} *`);
    const intended = describe(fields.join(' '));
    const words = actual ?? 'unreadable schedule';
    return {
      words,
      warning:
        'This schedule has five fields. CloudNativePG reads the first field as seconds, so it runs ' +
        `${actual ? lowerFirst(actual) : 'on a different rhythm'}` +
        `${intended ? `, not ${lowerFirst(intended)}` : ''}. ` +
        `Add a seconds field in front (for example "0 ${fields.join(' ')}") to keep the intended meaning.`,
    };
  }
  if (fields.length !== 6) {
    return {
      words: describe(schedule) ?? 'unreadable schedule',
      warning: `CloudNativePG expects six cron fields (seconds first); this one has ${fields.length}.`,
    };
  }
  return { words: describe(schedule) ?? 'unreadable schedule' };
}
