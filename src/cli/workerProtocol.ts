// Messages between the `local-lb` process and the worker processes that accept on the same port.
import type { BalancerOptions, BalancerSnapshot, Fault, Health, TrafficRecord } from '../balancer';

/** Set in a worker's environment, with an IPC channel, to make `local-lb` run as a worker. */
export const WORKER_ENV = 'LOCAL_LB_WORKER';

export interface BackendHealth {
  backend: string;
  health: Health;
}

export type ToWorker =
  /** Sent with the listening server. Workers do not check health: the main process tells them. */
  | { type: 'start'; options: BalancerOptions; quiet: boolean; health: BackendHealth[] }
  | { type: 'health'; health: BackendHealth[]; reason: string }
  | { type: 'snapshot'; id: number }
  /** The traffic record's seconds after `second`, and the entries the main process has not had yet. */
  | { type: 'traffic'; id: number; second: number }
  /** A fault added to or removed from a backend (`backend` absent: every fault cleared). */
  | { type: 'fault'; backend?: string; change: { add: Fault } | { remove: string } | { clear: true } }
  /** A second stop with `drainMs: 0` cuts a drain short. */
  | { type: 'stop'; drainMs: number };

export type FromWorker =
  | { type: 'started' }
  | { type: 'snapshot'; id: number; snapshot: BalancerSnapshot }
  | { type: 'traffic'; id: number; record: TrafficRecord };
