// The engine's log: how its parts emit lines, and the lines that describe one connection or request
// (the same in the CLI's output and in VS Code's log).
import type { EventEmitter } from 'node:events';
import type { BalancerEvents, ConnectionClosedInfo, ConnectionInfo, LogEntry, RequestInfo } from './types';

/** The balancer's events, as its parts (pool, connector) emit them. */
export type Events = EventEmitter<BalancerEvents>;

export function emitLog(events: Events, level: LogEntry['level'], message: string): void {
  events.emit('log', { level, message });
}

export const openedLine = (c: ConnectionInfo): string => `Handling ${c.client} to ${c.backend}`;

export const closedLine = (c: ConnectionClosedInfo): string => `Finished ${c.client} to ${c.backend}${c.error ? ` (${c.error})` : ''}`;

/** `GET /cart from 127.0.0.1:53122 to 127.0.0.1:8101: 200 in 3 ms`; `by Local LB` when no backend took it. */
export const requestLine = (r: RequestInfo): string =>
  `${requestOf(r)} from ${r.client} ${r.backend ? `to ${r.backend}` : 'answered by Local LB'}: ${r.status ?? 'cut off'} in ${Math.round(r.durationMs)} ms`;

/** `GET /cart`, the target cut at 80 characters; `A request` for a head that could not be read. */
const requestOf = (r: RequestInfo): string => (r.method ? `${r.method} ${r.target.length > 80 ? `${r.target.slice(0, 80)}…` : r.target}` : 'A request');
