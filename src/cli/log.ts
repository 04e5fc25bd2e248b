// How `local-lb` prints: one line per event on stderr, like Go's `log` package.
import type { LogEntry } from '../balancer';

/** `2026/11/25 13:28:31 message`. */
export function log(message: string): void {
  const now = new Date();
  const pad = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}/${pad(now.getMonth() + 1)}/${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
  process.stderr.write(`${stamp} ${message}\n`);
}

/** `WARN: message` (an info line as it is), after `prefix`: the pool's name when there are several. */
export const logEntry = (entry: LogEntry, prefix = ''): void => log(entry.level === 'info' ? prefix + entry.message : `${entry.level.toUpperCase()}: ${prefix}${entry.message}`);
