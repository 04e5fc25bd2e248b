// A backend's faults: the list, what each new connection gets of it, and adding a fault to or
// lifting it from open connections.
import { NotFoundError } from '../errors';
import type { Fault, FaultSpec, FaultStream } from '../types';
import { isRequestFault, validateFault } from './fault';
import { FaultStage, type StageOutput } from './faultStage';

/**
 * The faults one connection got (toxicity drawn), per direction, and the stages its data path opened
 * for them: the one plumbing every path uses, so that removing a fault from the backend lifts it
 * from the connection's stages, and closing the connection disposes them.
 */
export class LinkFaults {
  private readonly opened: FaultStage[] = [];

  constructor(
    /** client → backend */
    readonly upstream: Fault[],
    /** backend → client */
    readonly downstream: Fault[],
    /** The backend's live stages. */
    private readonly live: Set<FaultStage>,
  ) {}

  /** The stage one direction's bytes pass on their way to `output` (through `faults`, this direction's unless given); none when there is no fault. */
  stage(stream: FaultStream, output: StageOutput, faults: Fault[] = this[stream]): FaultStage | undefined {
    if (faults.length === 0) return undefined;
    const stage = new FaultStage(faults, output);
    this.live.add(stage);
    this.opened.push(stage);
    return stage;
  }

  /** The connection closed: its stages send nothing more, and are forgotten. */
  close(): void {
    for (const stage of this.opened) {
      stage.dispose();
      this.live.delete(stage);
    }
    this.opened.length = 0;
  }
}

/** An open connection as its backend's faults reach it: a fault added now joins it (its data path makes or extends the stage). */
export interface OpenLink {
  addFault(fault: Fault): void;
}

/** What a request-level fault does to one request: answer `status` for the backend, or reset the client. */
export type RequestFault = { type: 'http_status'; name: string; status: number } | { type: 'http_abort'; name: string };

export class BackendFaults {
  private faults: Fault[] = [];
  private readonly stages = new Set<FaultStage>();
  /** The backend's open connections of TCP mode, which a fault added reaches too. */
  readonly open = new Set<OpenLink>();

  get list(): readonly Fault[] {
    return this.faults;
  }

  /** Adds a fault: new connections get it, and so does each open one, by its toxicity's chance. */
  add(spec: FaultSpec): Fault {
    const fault = validateFault(spec, new Set(this.faults.map((existing) => existing.name)));
    this.faults = [...this.faults, fault];
    if (!isRequestFault(fault.type)) {
      for (const link of this.open) if (fault.toxicity >= 1 || Math.random() < fault.toxicity) link.addFault(fault);
    }
    return fault;
  }

  /** The faults of a connection that got none at first, to which one is added while it is open. */
  linkFaults(): LinkFaults {
    return new LinkFaults([], [], this.stages);
  }

  /** Removes the fault named `name`, and lifts it from open connections. */
  remove(name: string, backendLabel: string): Fault {
    const fault = this.faults.find((candidate) => candidate.name === name);
    if (!fault) {
      const names = this.faults.map((candidate) => candidate.name);
      throw new NotFoundError(`Backend ${backendLabel} has no fault named ${JSON.stringify(name)}${names.length ? `: it has ${names.join(', ')}` : ''}.`);
    }
    this.faults = this.faults.filter((candidate) => candidate !== fault);
    for (const stage of this.stages) stage.lift(fault);
    return fault;
  }

  clear(): void {
    const removed = this.faults;
    this.faults = [];
    for (const fault of removed) for (const stage of this.stages) stage.lift(fault);
  }

  /** The request fault a new request gets, drawn by toxicity: the first of them that applies. */
  forRequest(): RequestFault | undefined {
    for (const fault of this.faults) {
      if (!isRequestFault(fault.type) || (fault.toxicity < 1 && Math.random() >= fault.toxicity)) continue;
      return fault.type === 'http_status' ? { type: 'http_status', name: fault.name, status: fault.attributes.status } : { type: 'http_abort', name: fault.name };
    }
    return undefined;
  }

  /** What a new connection gets: each fault with its toxicity's chance; none (the fast path) when it gets none. */
  forConnection(): LinkFaults | undefined {
    if (this.faults.length === 0) return undefined;
    const upstream: Fault[] = [];
    const downstream: Fault[] = [];
    for (const fault of this.faults) {
      if (isRequestFault(fault.type) || (fault.toxicity < 1 && Math.random() >= fault.toxicity)) continue;
      (fault.stream === 'upstream' ? upstream : downstream).push(fault);
    }
    return upstream.length + downstream.length > 0 ? new LinkFaults(upstream, downstream, this.stages) : undefined;
  }
}
