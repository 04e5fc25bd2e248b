// Values of command-line flags: durations (`500ms`, `2s`, `1m`) and counts, each within the engine's rule for its option.
import { checkNumber, ConfigError, type NumberRule } from '../balancer';

const MS_PER_UNIT = { ms: 1, s: 1000, m: 60_000 };

/** A whole number written plainly, within `rule`; its default when not given. */
export function parseCount(text: string | undefined, rule: NumberRule): number {
  if (text === undefined) return rule.default;
  const count = /^(0|[1-9]\d{0,8})$/.test(text.trim()) ? Number(text) : NaN;
  if (Number.isNaN(count)) throw new ConfigError(`Invalid ${rule.what} ${JSON.stringify(text)}: expected a whole number (0 for no limit).`);
  return checkNumber(rule, count, JSON.stringify(text));
}

/** `500ms`, `2s`, `1.5s`, `1m`, or a bare number of seconds, within `rule`; returns milliseconds, the default when not given. */
export function parseDuration(text: string | undefined, rule: NumberRule): number {
  if (text === undefined) return rule.default;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  const unit = (match?.[2] ?? 's') as keyof typeof MS_PER_UNIT;
  const ms = match ? Math.round(Number(match[1]) * MS_PER_UNIT[unit]) : NaN;
  if (Number.isNaN(ms)) throw new ConfigError(`Invalid ${rule.what} ${JSON.stringify(text)}: expected a duration like 500ms, 2s or 1m.`);
  return checkNumber(rule, ms, JSON.stringify(text));
}
