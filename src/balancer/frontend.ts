// A balancer's frontend over time: starting (the data path chosen, listening, checks on), and
// stopping with a drain, each said in the log; a stop while starting waits for the start.
import type { Server } from 'node:net';
import { formatAddress } from './address';
import { faultLine, type Backends } from './backends';
import type { Connector } from './connector';
import type { DataPath, Listener, Side } from './dataPath';
import { chooseDataPath } from './dataPathChoice';
import { StateError } from './errors';
import type { HttpFrontend } from './http/httpFrontend';
import type { LiveSettings } from './liveSettings';
import { emitLog, type Events } from './log';
import type { ResolvedOptions } from './options';
import { isOutOfDescriptors, outOfDescriptorsMessage } from './socketErrors';
import type { Address, Mode } from './types';

export class Frontend {
  /** The mode serving since the last start; the configured one applies at the next. */
  mode: Mode;
  private listener?: Listener;
  /** From the start of `start` until it settles: a second start is refused, a stop waits for it. */
  private starting?: Promise<Address>;
  private stopping?: Promise<void>;
  private endDrain?: () => void;
  /** The handle path's fallback is explained once per balancer, not at every start. */
  private fallbackExplained = false;

  constructor(
    private readonly events: Events,
    private readonly backends: Backends,
    private readonly connector: Connector<Side>,
    private readonly http: HttpFrontend,
    private readonly settings: LiveSettings,
    /** The address, data path and mode as configured now: what a start takes. */
    private readonly options: () => ResolvedOptions,
  ) {
    this.mode = options().mode;
  }

  /** Where it listens (the chosen port when 0 was asked), and the server, while it does. */
  get listening(): Listener | undefined {
    return this.listener;
  }

  async start(shared?: Server): Promise<Address> {
    // Not awaited when nothing stops: a stop called right after this call must find it starting.
    if (this.stopping) await this.stopping;
    if (this.listener || this.starting) throw new StateError('LLB_ALREADY_RUNNING', 'The balancer is already running.');
    const starting = this.listen(shared);
    this.starting = starting;
    try {
      return await starting;
    } finally {
      this.starting = undefined;
    }
  }

  stop(drainMs: number): Promise<void> {
    // Stopping while starting (the data path's self-test takes some milliseconds) stops once started.
    if (this.starting) return this.starting.then(() => this.stop(drainMs), () => undefined);
    if (this.stopping) {
      if (drainMs === 0) this.endDrain?.();
      return this.stopping;
    }
    const listener = this.listener;
    if (!listener) return Promise.resolve();
    this.stopping = this.shutdown(listener, drainMs).finally(() => {
      this.stopping = undefined;
      this.endDrain = undefined;
    });
    return this.stopping;
  }

  private async listen(shared: Server | undefined): Promise<Address> {
    const options = this.options();
    this.mode = options.mode;
    const path = await this.dataPath(options);
    if (this.mode === 'http') this.http.start();
    this.connector.use(path, this.mode === 'http' ? this.http.serve : undefined);
    this.listener = await path.listen(options, shared, (client) => this.connector.accept(client), (error) => this.onListenError(error));
    const address = this.listener.address;
    this.backends.startChecks();
    const count = this.backends.list.length;
    const backends = `${count} backend${count === 1 ? '' : 's'}`;
    const how = `${this.mode} mode${this.mode === 'http' && this.settings.sticky ? ' with sticky sessions' : ''}, ${path.name} data path`;
    emitLog(this.events, 'info', `Listening on ${formatAddress(address)} (${this.connector.strategy.name} over ${backends}, ${how})`);
    for (const backend of this.backends.list) for (const fault of backend.faults.list) emitLog(this.events, 'info', faultLine(backend, fault));
    this.events.emit('listening', address);
    return address;
  }

  /** The data path asked for, or the handles once their self-test passed (docs/data-path.md). */
  private async dataPath(options: ResolvedOptions): Promise<DataPath<Side>> {
    const { path, fallback } = await chooseDataPath(options.dataPath);
    if (fallback && !this.fallbackExplained) {
      this.fallbackExplained = true;
      emitLog(this.events, 'warn', `The handles data path cannot serve in this Node ${process.version}: ${fallback}. net.Socket copies the bytes instead.`);
    }
    return path;
  }

  private async shutdown(listener: Listener, drainMs: number): Promise<void> {
    this.listener = undefined;
    const closed = listener.close();
    this.backends.stopChecks();
    if (this.mode === 'http') this.http.drain();
    const open = this.connector.open;
    if (open.size > 0 && drainMs > 0) {
      emitLog(this.events, 'info', `Draining ${this.connector.activeConnections} connection(s) for up to ${drainMs} ms`);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        open.allClosed(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, drainMs);
          this.endDrain = resolve;
        }),
      ]);
      clearTimeout(timer);
    }
    if (open.size > 0) {
      emitLog(this.events, 'info', `Closing ${this.connector.activeConnections} connection(s) still open`);
      open.abortAll();
    }
    await Promise.all([open.allClosed(), closed]);
    emitLog(this.events, 'info', `Stopped listening on ${formatAddress(listener.address)}`);
    this.events.emit('stopped');
  }

  private onListenError(error: Error): void {
    const warnings = this.connector.warnings;
    if (isOutOfDescriptors(error)) warnings.warn('descriptors', () => `Refused new connections: ${outOfDescriptorsMessage(error)}`);
    else warnings.warn('frontend', () => `Frontend error: ${error.message}`);
  }
}
