// Messages between the `local-lb` process and the worker processes that accept on the same ports.
import type { BalancerOptions, BalancerSnapshot, Fault, Health, TrafficRecord } from '../balancer';

/** Set in a worker's environment, with an IPC channel, to make `local-lb` run as a worker. */
export const WORKER_ENV = 'LOCAL_LB_WORKER';

export interface BackendHealth {
  backend: string;
  health: Health;
}

/** Every message but `stop` is about one pool, by name. */
export type ToWorker =
  /** Sent with the pool's listening server, once per pool. Workers do not check health: the main process tells them. */
  | { type: 'start'; pool: string; options: BalancerOptions; quiet: boolean; prefix: string; health: BackendHealth[] }
  | { type: 'health'; pool: string; health: BackendHealth[]; reason: string }
  | { type: 'snapshot'; pool: string; id: number }
  /** The traffic record's seconds after `second`, and the entries the main process has not had yet. */
  | { type: 'traffic'; pool: string; id: number; second: number }
  /** A fault added to or removed from a backend (`backend` absent: every fault cleared). */
  | { type: 'fault'; pool: string; backend?: string; change: { add: Fault } | { remove: string } | { clear: true } }
  /** A second stop with `drainMs: 0` cuts a drain short. */
  | { type: 'stop'; drainMs: number };

export type FromWorker =
  | { type: 'started'; pool: string }
  | { type: 'snapshot'; id: number; snapshot: BalancerSnapshot }
  | { type: 'traffic'; id: number; record: TrafficRecord };
