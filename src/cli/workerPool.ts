// `local-lb --workers N`: N - 1 worker processes accept on the main process's listening socket,
// so the proxying runs on several cores. The main process keeps the health checks, merges the
// statistics and stops them all.
import { fork, type ChildProcess } from 'node:child_process';
import { mergeSnapshots, type BalancerOptions, type BalancerSnapshot, type Fault, type FaultSpec, type LoadBalancer, type TrafficRecord } from '../balancer';
import { log } from './log';
import { WORKER_ENV, type BackendHealth, type FromWorker, type ToWorker } from './workerProtocol';

/** How long /stats (or /traffic) waits for a worker's counters before answering without them. */
const ANSWER_TIMEOUT_MS = 1000;
/** A worker that died is replaced after this pause, so a worker that cannot start does not spin. */
const RESTART_DELAY_MS = 1000;

export interface WorkerSettings {
  /** The program a worker runs: this CLI's own file. */
  script: string;
  /** Worker processes besides the main one; they are numbered from 1. */
  count: number;
  /** Each worker's own options; the counts of `maxConnections` are per process. */
  options: (index: number) => BalancerOptions;
  quiet: boolean;
}

interface Worker {
  child: ChildProcess;
  started: boolean;
}

export class WorkerPool {
  private readonly workers = new Set<Worker>();
  private stopping = false;
  private nextQuestionId = 1;

  constructor(
    private readonly balancer: LoadBalancer,
    private readonly settings: WorkerSettings,
  ) {
    balancer.on('stateChanged', (change) => this.broadcast({ type: 'health', health: this.health(), reason: change.reason }));
  }

  /** Starts every worker; resolves when each one accepts connections. */
  async start(): Promise<void> {
    await Promise.all(Array.from({ length: this.settings.count }, (_, i) => this.spawn(i + 1)));
  }

  /** The main process's statistics plus those of every worker that answers in time. */
  async snapshot(): Promise<BalancerSnapshot> {
    const answers = await this.askAll((id) => ({ type: 'snapshot', id }), (message) => (message.type === 'snapshot' ? message.snapshot : undefined));
    return mergeSnapshots(this.balancer.snapshot(), answers);
  }

  /** Every worker's traffic record after `second`, with the entries not asked for before. */
  workerTraffic(second: number): Promise<TrafficRecord[]> {
    return this.askAll((id) => ({ type: 'traffic', id, second }), (message) => (message.type === 'traffic' ? message.record : undefined));
  }

  faults(backend: string): readonly Fault[] {
    return this.balancer.faults(backend);
  }

  /** Faults change in the main process, and then in every worker, for their own connections. */
  addFault(backend: string, spec: FaultSpec): Fault {
    const fault = this.balancer.addFault(backend, spec);
    this.broadcast({ type: 'fault', change: { add: fault }, backend });
    return fault;
  }

  removeFault(backend: string, name: string): void {
    this.balancer.removeFault(backend, name);
    this.broadcast({ type: 'fault', change: { remove: name }, backend });
  }

  clearFaults(): void {
    this.balancer.clearFaults();
    this.broadcast({ type: 'fault', change: { clear: true } });
  }

  /** Tells every worker to stop (a second call with 0 cuts their drain short); resolves when all exited. */
  async stop(drainMs: number): Promise<void> {
    this.stopping = true;
    this.broadcast({ type: 'stop', drainMs });
    await Promise.all(
      [...this.workers].map((worker) => (worker.child.exitCode !== null || worker.child.signalCode !== null ? undefined : new Promise((resolve) => worker.child.once('exit', resolve)))),
    );
  }

  private spawn(index: number): Promise<void> {
    const server = this.balancer.sharedServer();
    if (this.stopping || !server) return Promise.resolve();
    const child = fork(this.settings.script, [], { env: { ...process.env, [WORKER_ENV]: '1' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const worker: Worker = { child, started: false };
    this.workers.add(worker);
    child.on('error', (error) => log(`WARN: worker ${index}: ${error.message}`));
    // A worker started (or restarted) later gets the faults on now, not those of the command line.
    const faults = this.balancer.snapshot().backends.flatMap((backend) => (backend.faults ?? []).map((fault) => ({ backend: backend.id, fault })));
    const start: ToWorker = { type: 'start', options: { ...this.settings.options(index), faults }, quiet: this.settings.quiet, health: this.health() };
    child.send(start, server);
    return new Promise<void>((resolve) => {
      child.on('message', (message: FromWorker) => {
        if (message.type !== 'started') return;
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

  private health(): BackendHealth[] {
    return this.balancer.snapshot().backends.map((backend) => ({ backend: backend.id, health: backend.health }));
  }

  private broadcast(message: ToWorker): void {
    for (const worker of this.workers) this.sendTo(worker, message);
  }

  private sendTo(worker: Worker, message: ToWorker): void {
    // A worker that is exiting may have closed its channel already; its exit is handled elsewhere.
    if (worker.child.connected) worker.child.send(message, (error) => error && undefined);
  }
}
