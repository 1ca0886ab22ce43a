/** Parsers for the duration notations our resources use, all to seconds or days. */

const GO_UNITS: Readonly<Record<string, number>> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
};

/**
 * Go `time.ParseDuration` syntax (`1h`, `15m`, `1h30m0s`, `0`), as ESO and Vault accept it.
 * Returns undefined for text that is not a duration, so callers can report it as such.
 */
export function goDurationSeconds(text: string): number | undefined {
  if (text === "0") return 0;
  const parts = text.match(/^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/)
    ? text.match(/\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h)/g)
    : null;
  if (!parts) return undefined;
  return parts.reduce((sum, part) => {
    const [, amount, unit] = part.match(/^(\d+(?:\.\d+)?)(.+)$/)!;
    return sum + Number(amount) * GO_UNITS[unit];
  }, 0);
}

/** Vault TTL inputs are seconds (number) or a Go duration string. */
export function vaultTtlSeconds(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string") return /^\d+$/.test(value) ? Number(value) : goDurationSeconds(value);
  return undefined;
}

/** Google `Duration` JSON (`"2592000s"`, `"3.5s"`). */
export function googleDurationSeconds(text: string): number | undefined {
  const m = text.match(/^(\d+(?:\.\d+)?)s$/);
  return m ? Number(m[1]) : undefined;
}

/**
 * Longest interval, in days, between two runs of a Secrets Manager schedule expression:
 * `rate(N days|hours)`, or `cron(min hour dom month dow year)` judged by its day fields
 * (a fixed day of week → 7, a fixed day of month → 31, a fixed month → 366, else 1).
 */
export function awsScheduleIntervalDays(expression: string): number | undefined {
  const rate = expression.match(/^rate\((\d+) (day|days|hour|hours)\)$/);
  if (rate) return rate[2].startsWith("day") ? Number(rate[1]) : Number(rate[1]) / 24;
  const cron = expression.match(/^cron\((\S+) (\S+) (\S+) (\S+) (\S+)(?: (\S+))?\)$/);
  if (!cron) return undefined;
  const [, , , dayOfMonth, month, dayOfWeek] = cron;
  const fixed = (field: string) => field !== "*" && field !== "?";
  if (fixed(month)) return 366;
  if (fixed(dayOfMonth)) return 31;
  if (fixed(dayOfWeek)) return 7;
  return 1;
}
