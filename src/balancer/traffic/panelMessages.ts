// The traffic panel's messages: what a host (the extension, or the admin endpoint's page) sends it,
// and what it sends back, checked before use since a webview's messages are input like any other.
import type { TrafficUpdate } from './trafficTypes';

/** To the panel: what is new since the last update; `full` replaces what the panel holds. */
export interface TrafficMessage {
  type: 'traffic';
  update: TrafficUpdate;
  full: boolean;
}

/** From the panel: it (re)loaded and holds nothing, so the next update is a full one. */
export interface ReadyMessage {
  type: 'ready';
}

export type PanelMessage = ReadyMessage;

/** The message, or why it is not one (naming what was wrong). */
export function parsePanelMessage(value: unknown): PanelMessage | { error: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: `not an object: ${describe(value)}` };
  const type = (value as { type?: unknown }).type;
  if (type !== 'ready') return { error: `unknown message type ${describe(type)}` };
  return Object.keys(value).length === 1 ? { type } : { error: `a ready message carries nothing else: ${describe(value)}` };
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
