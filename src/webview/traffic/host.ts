// Where the panel's data comes from: the extension, by messages (in a VS Code webview), or the
// admin endpoint, polled (the page `local-lb --admin` serves). Either keeps the table's state.
import type { DetailsMessage, PoolChoice, TrafficMessage } from '../../balancer/traffic/panelMessages';
import type { TrafficCursor, TrafficUpdate } from '../../balancer/traffic/trafficTypes';
import type { TableState } from './trafficModel';

export interface PanelHost {
  /** The table's state as the user left it, if saved. */
  savedState(): Partial<TableState> | undefined;
  saveState(state: TableState): void;
  /** Starts the updates, each with the pool it is about and the pools there are: the first is full. */
  start(receive: (update: TrafficUpdate, full: boolean, choice: PoolChoice) => void, cursor: () => TrafficCursor | undefined): void;
  /** Shows `pool` from now on: its next update is full. */
  choosePool(pool: string): void;
  /** Row `seq`'s details, or why it has none. */
  details(seq: number): Promise<DetailsMessage>;
  /** Copies row `seq` as a curl command (`curl`, for a host that copies it itself). */
  copyCurl(seq: number, curl: string): void;
  /** The requests recorded, as HAR, for the pool shown. */
  exportHar(): void;
  /** Whether requests can be sent again from here: in VS Code, not on the read-only admin page. */
  readonly canReplay: boolean;
  /** Sends row `seq`'s request again, through the balancer or `direct` to its backend. */
  replay(seq: number, direct: boolean): void;
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
  /** Details asked for and not answered yet, by seq. */
  const asked = new Map<number, (message: DetailsMessage) => void>();
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = event.data as Partial<DetailsMessage> | null;
    if (message?.type !== 'details' || typeof message.seq !== 'number') return;
    asked.get(message.seq)?.(message as DetailsMessage);
    asked.delete(message.seq);
  });
  return {
    savedState: () => (api.getState() as Partial<TableState> | undefined) ?? undefined,
    saveState: (state) => api.setState(state),
    start: (receive) => {
      window.addEventListener('message', (event: MessageEvent<unknown>) => {
        const message = event.data as Partial<TrafficMessage> | null;
        if (message?.type === 'traffic' && typeof message.update === 'object' && message.update !== null) {
          receive(message.update, message.full === true, { pool: String(message.pool ?? ''), pools: Array.isArray(message.pools) ? message.pools : [] });
        }
      });
      api.postMessage({ type: 'ready' });
    },
    choosePool: (pool) => api.postMessage({ type: 'pool', pool }),
    details: (seq) =>
      new Promise((resolve) => {
        asked.set(seq, resolve);
        api.postMessage({ type: 'details', seq });
      }),
    copyCurl: (seq) => api.postMessage({ type: 'copyCurl', seq }),
    exportHar: () => api.postMessage({ type: 'exportHar' }),
    canReplay: true,
    replay: (seq, direct) => api.postMessage({ type: direct ? 'replayToBackend' : 'replay', seq }),
  };
}

function adminHost(): PanelHost {
  let full = true;
  /** The pool asked for; none: the endpoint's main pool. */
  let chosen: string | undefined;
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
      const poll = async (): Promise<void> => {
        if (document.visibilityState === 'visible') {
          const at = full ? undefined : cursor();
          const query = new URLSearchParams(at ? { second: String(at.second), seq: String(at.seq) } : {});
          if (chosen !== undefined) query.set('pool', chosen);
          const asked = { pool: chosen, full };
          try {
            const response = await fetch(`traffic?${query}`);
            // A pool chosen while this poll was out is asked for by the next, in full: this answer is another pool's.
            if (response.ok && asked.pool === chosen) {
              const body = (await response.json()) as TrafficUpdate & Partial<PoolChoice>;
              receive(body, asked.full, { pool: String(body.pool ?? ''), pools: Array.isArray(body.pools) ? body.pools : [] });
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
    choosePool: (pool) => {
      chosen = pool;
      full = true;
    },
    details: async (seq) => {
      const query = new URLSearchParams({ seq: String(seq), ...(chosen === undefined ? {} : { pool: chosen }) });
      try {
        const response = await fetch(`traffic/details?${query}`);
        if (response.ok) return (await response.json()) as DetailsMessage;
      } catch {
        // The balancer stopped: said below.
      }
      return { type: 'details', seq, none: 'The balancer did not answer.' };
    },
    copyCurl: (_seq, curl) => void navigator.clipboard.writeText(curl),
    exportHar: () => {
      window.location.href = `traffic.har${chosen === undefined ? '' : `?pool=${encodeURIComponent(chosen)}`}`;
    },
    // The admin page only reads.
    canReplay: false,
    replay: () => undefined,
  };
}
