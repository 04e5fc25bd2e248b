// A proxy's toxics on its pool: the faults of each of its backends alike (a proxy made through the
// API has one; a pool of the run, shown as a proxy, may have several), listed from the first.
import { ConfigError, NotFoundError, type Fault, type FaultSpec, type LoadBalancer } from '../balancer';
import { withZeroes } from './proxyInput';

/** A pool and the ids of the backends its toxics go on. */
export interface ToxicTarget {
  balancer: LoadBalancer;
  backends: readonly string[];
}

export function toxicsOf({ balancer, backends }: ToxicTarget): Fault[] {
  return backends.length > 0 ? [...balancer.faults(backends[0])] : [];
}

export function toxicOf(target: ToxicTarget, toxic: string): Fault {
  const found = toxicsOf(target).find((candidate) => candidate.name === toxic);
  if (!found) throw new NotFoundError(`toxic not found: ${JSON.stringify(toxic)}`);
  return found;
}

/** On every backend, or none: a backend that refuses it takes it off those that took it. */
export function addToxic({ balancer, backends }: ToxicTarget, spec: FaultSpec): Fault {
  const added: string[] = [];
  try {
    let fault: Fault | undefined;
    for (const backend of backends) {
      fault = balancer.addFault(backend, withZeroes(spec));
      added.push(backend);
    }
    if (!fault) throw new ConfigError('the proxy has no upstream to put a toxic on');
    return fault;
  } catch (error) {
    const name = added.length > 0 ? balancer.faults(added[0]).at(-1)?.name : undefined;
    if (name !== undefined) for (const backend of added) balancer.removeFault(backend, name);
    throw error;
  }
}

export function removeToxic(target: ToxicTarget, toxic: string): void {
  toxicOf(target, toxic);
  for (const backend of target.backends) target.balancer.removeFault(backend, toxic);
}

/** A toxic's `attributes` (merged into its own) and `toxicity` changed; its name, type and stream stay. A bad change leaves it as it was. */
export function updateToxic(target: ToxicTarget, toxic: string, change: { attributes?: unknown; toxicity?: unknown }): Fault {
  const old = toxicOf(target, toxic);
  const attributes = change.attributes === undefined ? {} : change.attributes;
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) throw new ConfigError('bad request body: "attributes" must be an object');
  const spec: FaultSpec = { name: old.name, type: old.type, stream: old.stream, toxicity: change.toxicity ?? old.toxicity, attributes: { ...old.attributes, ...attributes } };
  removeToxic(target, toxic);
  try {
    return addToxic(target, spec);
  } catch (error) {
    addToxic(target, old);
    throw error;
  }
}
