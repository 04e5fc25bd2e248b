// `local-lb --workers N`: N - 1 worker processes accept on the main process's listening sockets
// (one per pool), so the proxying runs on several cores. The main process keeps the health checks,
// merges the statistics and stops them all.
import { fork, type ChildProcess } from 'node:child_process';
import { mergeSnapshots, type BalancerOptions, type BalancerSnapshot, type Fault, type FaultSpec, type LoadBalancer, type TrafficRecord } from '../balancer';
import type { FaultControl, StatisticsSource } from './adminPools';
import { log } from './log';
import type { WorkerTraffic } from './trafficFeed';
import { WORKER_ENV, type BackendHealth, type FromWorker, type ToWorker } from './workerProtocol';

/** How long /stats (or /traffic) waits for a worker's counters before answering without them. */
const ANSWER_TIMEOUT_MS = 1000;
/** A worker that died is replaced after this pause, so a worker that cannot start does not spin. */
const RESTART_DELAY_MS = 1000;

/** A pool the workers serve too: its balancer in the main process, and what a worker is told of it. */
export interface SharedPool {
  name: string;
  balancer: LoadBalancer;
  /** Each worker's own options; the counts of `maxConnections` are per process. */
  options: (index: number) => BalancerOptions;
  /** What the pool's log lines start with. */
  prefix: string;
}

export interface WorkerSettings {
  /** The program a worker runs: this CLI's own file. */
  script: string;
  /** Worker processes besides the main one; they are numbered from 1. */
  count: number;
  quiet: boolean;
}

interface Worker {
  child: ChildProcess;
  started: boolean;
}

export class Workers {
  private readonly workers = new Set<Worker>();
  private stopping = false;
  private nextQuestionId = 1;

  constructor(
    private readonly pools: readonly SharedPool[],
    private readonly settings: WorkerSettings,
  ) {
    for (const { name, balancer } of pools) {
      balancer.on('stateChanged', (change) => this.broadcast({ type: 'health', pool: name, health: health(balancer), reason: change.reason }));
    }
  }

  /** Starts every worker; resolves when each one accepts connections on every pool. */
  async start(): Promise<void> {
    await Promise.all(Array.from({ length: this.settings.count }, (_, i) => this.spawn(i + 1)));
  }

  /** The pool's statistics, faults and traffic across the processes. */
  pool(name: string): StatisticsSource & FaultControl & WorkerTraffic {
    const { balancer } = this.shared(name);
    return {
      snapshot: async (): Promise<BalancerSnapshot> => {
        const answers = await this.askAll((id) => ({ type: 'snapshot', pool: name, id }), (message) => (message.type === 'snapshot' ? message.snapshot : undefined));
        return mergeSnapshots(balancer.snapshot(), answers);
      },
      workerTraffic: (second: number): Promise<TrafficRecord[]> =>
        this.askAll((id) => ({ type: 'traffic', pool: name, id, second }), (message) => (message.type === 'traffic' ? message.record : undefined)),
      faults: (backend: string): readonly Fault[] => balancer.faults(backend),
      // Faults change in the main process, and then in every worker, for their own connections.
      addFault: (backend: string, spec: FaultSpec): Fault => {
        const fault = balancer.addFault(backend, spec);
        this.broadcast({ type: 'fault', pool: name, change: { add: fault }, backend });
        return fault;
      },
      removeFault: (backend: string, fault: string): void => {
        balancer.removeFault(backend, fault);
        this.broadcast({ type: 'fault', pool: name, change: { remove: fault }, backend });
      },
      clearFaults: (): void => {
        balancer.clearFaults();
        this.broadcast({ type: 'fault', pool: name, change: { clear: true } });
      },
    };
  }

  /** Tells every worker to stop (a second call with 0 cuts their drain short); resolves when all exited. */
  async stop(drainMs: number): Promise<void> {
    this.stopping = true;
    this.broadcast({ type: 'stop', drainMs });
    await Promise.all(
      [...this.workers].map((worker) => (worker.child.exitCode !== null || worker.child.signalCode !== null ? undefined : new Promise((resolve) => worker.child.once('exit', resolve)))),
    );
  }

  private shared(name: string): SharedPool {
    const pool = this.pools.find((candidate) => candidate.name === name);
    if (!pool) throw new Error(`The workers serve no pool "${name}".`);
    return pool;
  }

  private spawn(index: number): Promise<void> {
    const served = this.pools.flatMap((pool) => {
      const server = pool.balancer.sharedServer();
      return server ? [{ pool, server }] : [];
    });
    if (this.stopping || served.length === 0) return Promise.resolve();
    const child = fork(this.settings.script, [], { env: { ...process.env, [WORKER_ENV]: '1' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const worker: Worker = { child, started: false };
    this.workers.add(worker);
    child.on('error', (error) => log(`WARN: worker ${index}: ${error.message}`));
    for (const { pool, server } of served) {
      // A worker started (or restarted) later gets the faults on now, not those of the command line.
      const faults = pool.balancer.snapshot().backends.flatMap((backend) => (backend.faults ?? []).map((fault) => ({ backend: backend.id, fault })));
      const start: ToWorker = { type: 'start', pool: pool.name, options: { ...pool.options(index), faults }, quiet: this.settings.quiet, prefix: pool.prefix, health: health(pool.balancer) };
      child.send(start, server);
    }
    return new Promise<void>((resolve) => {
      let waiting = served.length;
      child.on('message', (message: FromWorker) => {
        if (message.type !== 'started' || --waiting > 0) return;
        worker.started = true;
        resolve();
      });
      child.once('exit', (code, signal) => {
        this.workers.delete(worker);
        resolve();
        if (this.stopping) return;
        log(`WARN: worker ${index} (pid ${child.pid}) exited with ${signal ?? `code ${code}`}; starting another`);
        setTimeout(() => void this.spawn(index), RESTART_DELAY_MS).unref();
      });
    });
  }

  /** Asks every started worker; the answers of those that answer in time. */
  private async askAll<T>(question: (id: number) => ToWorker, answer: (message: FromWorker) => T | undefined): Promise<T[]> {
    const started = [...this.workers].filter((worker) => worker.started);
    const answers = await Promise.all(started.map((worker) => this.ask(worker, question(this.nextQuestionId++), answer)));
    return answers.filter((value): value is Awaited<T> => value !== undefined);
  }

  private ask<T>(worker: Worker, question: ToWorker, answer: (message: FromWorker) => T | undefined): Promise<T | undefined> {
    const id = 'id' in question ? question.id : 0;
    return new Promise((resolve) => {
      const done = (value?: T): void => {
        clearTimeout(timer);
        worker.child.off('message', onMessage);
        worker.child.off('exit', onExit);
        resolve(value);
      };
      const onMessage = (message: FromWorker): void => {
        const value = 'id' in message && message.id === id ? answer(message) : undefined;
        if (value !== undefined) done(value);
      };
      const onExit = (): void => done();
      const timer = setTimeout(done, ANSWER_TIMEOUT_MS);
      worker.child.on('message', onMessage);
      worker.child.once('exit', onExit);
      this.sendTo(worker, question);
    });
  }

  private broadcast(message: ToWorker): void {
    for (const worker of this.workers) this.sendTo(worker, message);
  }

  private sendTo(worker: Worker, message: ToWorker): void {
    // A worker that is exiting may have closed its channel already; its exit is handled elsewhere.
    if (worker.child.connected) worker.child.send(message, (error) => error && undefined);
  }
}

function health(balancer: LoadBalancer): BackendHealth[] {
  return balancer.snapshot().backends.map((backend) => ({ backend: backend.id, health: backend.health }));
}
