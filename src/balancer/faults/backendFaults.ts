// A backend's faults: the list, what each new connection gets of it, and lifting a fault from open connections.
import { NotFoundError } from '../errors';
import type { Fault, FaultSpec } from '../types';
import { isRequestFault, validateFault } from './fault';
import type { FaultStage } from './faultStage';

/** The faults one connection got (toxicity drawn), per direction, and where its stages register. */
export interface LinkFaults {
  /** client → backend */
  upstream: Fault[];
  /** backend → client */
  downstream: Fault[];
  /** The backend's live stages: a path adds a connection's stages here and deletes them on close. */
  stages: Set<FaultStage>;
}

/** What a request-level fault does to one request: answer `status` for the backend, or reset the client. */
export type RequestFault = { type: 'http_status'; name: string; status: number } | { type: 'http_abort'; name: string };

export class BackendFaults {
  private faults: Fault[] = [];
  private readonly stages = new Set<FaultStage>();

  get list(): readonly Fault[] {
    return this.faults;
  }

  add(spec: FaultSpec): Fault {
    const fault = validateFault(spec, new Set(this.faults.map((existing) => existing.name)));
    this.faults = [...this.faults, fault];
    return fault;
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
    return upstream.length + downstream.length > 0 ? { upstream, downstream, stages: this.stages } : undefined;
  }
}
