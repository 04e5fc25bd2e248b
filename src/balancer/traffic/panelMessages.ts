// The traffic panel's messages: what a host (the extension, or the admin endpoint's page) sends it,
// and what it sends back, checked before use since a webview's messages are input like any other.
import type { TrafficUpdate } from './trafficTypes';

/** The choice of every pool at once, side by side: no pool is named so. */
export const ALL_POOLS = '*';

/** Which pool an update is about (or `ALL_POOLS`), and every pool the panel may show instead. */
export interface PoolChoice {
  pool: string;
  pools: string[];
}

/** To the panel: what is new since the last update of the pool shown; `full` replaces what the panel holds. */
export interface TrafficMessage extends PoolChoice {
  type: 'traffic';
  update: TrafficUpdate;
  full: boolean;
}

/** From the panel: it (re)loaded and holds nothing, so the next update is a full one. */
export interface ReadyMessage {
  type: 'ready';
}

/** From the panel: the user chose to see `pool` (or `ALL_POOLS`); the next update is its, in full. */
export interface ChoosePoolMessage {
  type: 'pool';
  pool: string;
}

export type PanelMessage = ReadyMessage | ChoosePoolMessage;

/** Longer than any pool's name (32): a bigger one is not a name. */
const MAX_POOL_NAME = 64;

/** The message, or why it is not one (naming what was wrong). */
export function parsePanelMessage(value: unknown): PanelMessage | { error: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: `not an object: ${describe(value)}` };
  const { type, pool } = value as { type?: unknown; pool?: unknown };
  const keys = Object.keys(value).length;
  if (type === 'ready') return keys === 1 ? { type } : { error: `a ready message carries nothing else: ${describe(value)}` };
  if (type !== 'pool') return { error: `unknown message type ${describe(type)}` };
  if (typeof pool !== 'string' || pool.length > MAX_POOL_NAME || keys !== 2) return { error: `a pool message carries the pool's name and nothing else: ${describe(value)}` };
  return { type, pool };
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
