// The engine's log: how its parts emit lines, and the lines that describe one connection (the same
// in the CLI's output and in VS Code's log).
import type { EventEmitter } from 'node:events';
import type { BalancerEvents, ConnectionClosedInfo, ConnectionInfo, LogEntry } from './types';

/** The balancer's events, as its parts (pool, connector) emit them. */
export type Events = EventEmitter<BalancerEvents>;

export function emitLog(events: Events, level: LogEntry['level'], message: string): void {
  events.emit('log', { level, message });
}

export const openedLine = (c: ConnectionInfo): string => `Handling ${c.client} to ${c.backend}`;

export const closedLine = (c: ConnectionClosedInfo): string => `Finished ${c.client} to ${c.backend}${c.error ? ` (${c.error})` : ''}`;
