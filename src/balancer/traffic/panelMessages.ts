// The traffic panel's messages: what a host (the extension, or the admin endpoint's page) sends it,
// and what it sends back, checked before use since a webview's messages are input like any other.
import type { RequestDetails } from '../types';
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

/** From the panel: the user selected the row `seq`, and its details are asked for; or asked to copy it as curl, or to send it again (through the frontend, or to its backend). */
export interface RowMessage {
  type: 'details' | 'copyCurl' | 'replay' | 'replayToBackend';
  seq: number;
}

/** From the panel: Export HAR… for the pool shown. */
export interface ExportHarMessage {
  type: 'exportHar';
}

/** To the panel (and the admin page's `GET /traffic/details`): a request's details, secrets masked unless asked, or why there are none. */
export interface DetailsMessage {
  type: 'details';
  seq: number;
  details?: RequestDetails;
  /** The URL it asked for, and a curl command that sends it again through the frontend. */
  url?: string;
  curl?: string;
  /** Why no details: a connection (TCP mode), recorded before the panel opened, gone from the record. */
  none?: string;
}

export type PanelMessage = ReadyMessage | ChoosePoolMessage | RowMessage | ExportHarMessage;

/** Longer than any pool's name (32): a bigger one is not a name. */
const MAX_POOL_NAME = 64;

/** The message, or why it is not one (naming what was wrong). */
export function parsePanelMessage(value: unknown): PanelMessage | { error: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: `not an object: ${describe(value)}` };
  const { type, pool } = value as { type?: unknown; pool?: unknown };
  const keys = Object.keys(value).length;
  if (type === 'ready' || type === 'exportHar') return keys === 1 ? { type } : { error: `${type === 'ready' ? 'a' : 'an'} ${type} message carries nothing else: ${describe(value)}` };
  if (type === 'details' || type === 'copyCurl' || type === 'replay' || type === 'replayToBackend') {
    const { seq } = value as { seq?: unknown };
    return typeof seq === 'number' && Number.isSafeInteger(seq) && seq > 0 && keys === 2 ? { type, seq } : { error: `a ${type} message carries a row's seq, a whole number, and nothing else: ${describe(value)}` };
  }
  if (type !== 'pool') return { error: `unknown message type ${describe(type)}` };
  if (typeof pool !== 'string' || pool.length > MAX_POOL_NAME || keys !== 2) return { error: `a pool message carries the pool's name and nothing else: ${describe(value)}` };
  return { type, pool };
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
