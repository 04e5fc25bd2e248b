// How `local-lb` prints: one line per event on stderr, like Go's `log` package.
import { closedLine, openedLine, requestLine, type ConnectionClosedInfo, type ConnectionInfo, type LogEntry, type RequestInfo } from '../balancer';

/** `2026/11/25 13:28:31 message`. */
export function log(message: string): void {
  const now = new Date();
  const pad = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}/${pad(now.getMonth() + 1)}/${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
  process.stderr.write(`${stamp} ${message}\n`);
}

export const logEntry = (entry: LogEntry): void => log(entry.level === 'info' ? entry.message : `${entry.level.toUpperCase()}: ${entry.message}`);
export const logOpened = (c: ConnectionInfo): void => log(openedLine(c));
export const logClosed = (c: ConnectionClosedInfo): void => log(closedLine(c));
export const logRequest = (r: RequestInfo): void => log(requestLine(r));
