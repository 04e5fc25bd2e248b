// Where the panel's data comes from: the extension, by messages (in a VS Code webview), or the
// admin endpoint, polled (the page `local-lb --admin` serves). Either keeps the table's state.
import type { TrafficMessage } from '../../balancer/traffic/panelMessages';
import type { TrafficCursor, TrafficUpdate } from '../../balancer/traffic/trafficTypes';
import type { TableState } from './trafficModel';

export interface PanelHost {
  /** The table's state as the user left it, if saved. */
  savedState(): Partial<TableState> | undefined;
  saveState(state: TableState): void;
  /** Starts the updates: the first is full. */
  start(receive: (update: TrafficUpdate, full: boolean) => void, cursor: () => TrafficCursor | undefined): void;
}

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare const acquireVsCodeApi: (() => VsCodeApi) | undefined;

/** The admin endpoint is polled this often while the page is visible (the extension posts as often). */
const POLL_MS = 500;
const STORAGE_KEY = 'local-lb.traffic.table';

export function connectHost(): PanelHost {
  return typeof acquireVsCodeApi === 'function' ? vscodeHost(acquireVsCodeApi()) : adminHost();
}

function vscodeHost(api: VsCodeApi): PanelHost {
  return {
    savedState: () => (api.getState() as Partial<TableState> | undefined) ?? undefined,
    saveState: (state) => api.setState(state),
    start: (receive) => {
      window.addEventListener('message', (event: MessageEvent<unknown>) => {
        const message = event.data as Partial<TrafficMessage> | null;
        if (message?.type === 'traffic' && typeof message.update === 'object' && message.update !== null) receive(message.update, message.full === true);
      });
      api.postMessage({ type: 'ready' });
    },
  };
}

function adminHost(): PanelHost {
  return {
    savedState: () => {
      try {
        return JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') ?? undefined;
      } catch {
        return undefined;
      }
    },
    saveState: (state) => localStorage.setItem(STORAGE_KEY, JSON.stringify(state)),
    start: (receive, cursor) => {
      let full = true;
      const poll = async (): Promise<void> => {
        if (document.visibilityState === 'visible') {
          const at = full ? undefined : cursor();
          try {
            const response = await fetch(at ? `traffic?second=${at.second}&seq=${at.seq}` : 'traffic');
            if (response.ok) {
              receive((await response.json()) as TrafficUpdate, full);
              full = false;
            }
          } catch {
            // The balancer stopped; the next poll tries again.
          }
        }
        setTimeout(() => void poll(), POLL_MS);
      };
      void poll();
    },
  };
}
