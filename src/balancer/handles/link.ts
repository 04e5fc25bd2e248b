// A client and its backend on raw handles, copied both ways until both directions are done.
import type { Closed } from '../dataPath';
import type { BackendFaults, LinkFaults, OpenLink } from '../faults/backendFaults';
import type { StageOutput } from '../faults/faultStage';
import { IdleTimeoutError } from '../errors';
import { IdleWatch } from '../idleWatch';
import type { Fault } from '../types';
import type { HandleSide, SideEvents } from './handleSide';

/**
 * As the socket path's `copyBothWays`: backpressure (each side's reads stop while its peer has
 * writes queued), each direction's end passed on by itself, a side that closes before both of its
 * directions finished aborting its peer, and `done` once both are closed, with the first error seen
 * and the backend's own.
 */
export class Link implements SideEvents, OpenLink {
  private firstError?: Error;
  private backendError?: Error;
  private open = 2;
  private readonly idle?: IdleWatch;

  constructor(
    private readonly client: HandleSide,
    private readonly backendSide: HandleSide,
    idleTimeoutMs: number,
    /** Called once, as the backend's first bytes are written to the client. */
    private replied: (() => void) | undefined,
    private readonly done: Closed,
    private faults: LinkFaults | undefined,
    /** The backend's faults, which reach this link while it is open. */
    private readonly backendFaults?: BackendFaults,
  ) {
    backendFaults?.open.add(this);
    client.peer = backendSide;
    backendSide.peer = client;
    client.events = this;
    backendSide.events = this;
    if (faults) {
      client.stage = faults.stage('upstream', this.output(client, backendSide));
      backendSide.stage = faults.stage('downstream', this.output(backendSide, client));
    }
    if (idleTimeoutMs > 0) {
      this.idle = new IdleWatch(idleTimeoutMs, () => {
        this.firstError ??= new IdleTimeoutError(idleTimeoutMs);
        client.close();
      });
    }
    const held = client.held;
    const stage = client.stage;
    if (held) {
      client.held = undefined;
      if (stage) stage.push(held);
      else backendSide.write(held, held.length, false);
    }
    // A client that sent its end while the backend was being connected.
    if (client.readEnded) this.ended(client);
    if (backendSide.pendingWrites === 0) client.startReading();
    backendSide.startReading();
  }

  active(): void {
    if (this.idle) this.idle.moved = true;
  }

  writing(side: HandleSide): void {
    if (side !== this.client || !this.replied) return;
    this.replied();
    this.replied = undefined;
  }

  ended(side: HandleSide): void {
    if (side.stage) side.stage.end();
    else side.peer?.endWrite();
  }

  failed(side: HandleSide, error: Error): void {
    this.firstError ??= error;
    if (side === this.backendSide) this.backendError ??= error;
  }

  closed(side: HandleSide, clean: boolean): void {
    if (!clean) side.peer?.abort();
    if (--this.open > 0) return;
    this.backendFaults?.open.delete(this);
    this.idle?.stop();
    this.faults?.close();
    this.done(this.firstError, this.backendError);
  }

  addFault(fault: Fault): void {
    const source = fault.stream === 'upstream' ? this.client : this.backendSide;
    if (source.stage) {
      source.stage.add(fault);
      return;
    }
    this.faults ??= this.backendFaults?.linkFaults();
    source.stage = this.faults?.stage(fault.stream, this.output(source, source === this.client ? this.backendSide : this.client), [fault]);
  }

  /** Where the stage of `source`'s bytes on their way to `dest` sends them, and what it may do. */
  private output(source: HandleSide, dest: HandleSide): StageOutput {
    const { client, backendSide } = this;
    return {
      write: (chunk) => {
        if (!dest.closing) dest.write(chunk, chunk.length, false);
      },
      end: () => dest.endWrite(),
      pauseSource: () => source.holdForStage(true),
      resumeSource: () => source.holdForStage(false),
      // An RST to the client; its backend is reset when the client's side has closed.
      reset: () => client.abort(),
      close: () => {
        client.close();
        backendSide.close();
      },
    };
  }
}
