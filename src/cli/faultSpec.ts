// `--fault BACKEND:TYPE[,KEY=VALUE]...`: a fault for one of the `-p` backends, checked before anything listens.
import { ConfigError, FAULT_ATTRIBUTES, FAULT_TYPES, formatAddress, parseAddress, validateFault, type Address, type Fault, type FaultType, type FaultUnit } from '../balancer';

export interface CliFault {
  /** The backend's id, as `/stats` lists it. */
  backend: string;
  fault: Fault;
}

/** What a time attribute's unit suffix is worth, in the attribute's own unit. */
const TIME_UNITS: Record<'ms' | 'µs', Record<string, number>> = {
  ms: { us: 0.001, µs: 0.001, ms: 1, s: 1000, m: 60_000 },
  µs: { us: 1, µs: 1, ms: 1000, s: 1_000_000 },
};

/**
 * Parses one `--fault`. `taken` has the names of the faults already given per backend, so that two
 * faults of one backend cannot share a name; it gets this one's.
 */
export function parseFaultSpec(text: string, backends: readonly Address[], taken: Map<string, Set<string>>): CliFault {
  try {
    const [head, ...pairs] = text.split(',');
    const colon = head.lastIndexOf(':');
    if (colon < 0) throw new ConfigError('expected BACKEND:TYPE, such as 8101:latency.');
    const type = head.slice(colon + 1).trim();
    if (type === '') throw new ConfigError(`the fault type after "${head.slice(0, colon)}:" is missing: expected one of ${FAULT_TYPES.join(', ')}.`);
    const address = parseAddress(head.slice(0, colon), 'fault backend');
    const backend = formatAddress(address);
    if (!backends.some((candidate) => formatAddress(candidate) === backend)) {
      throw new ConfigError(`backend ${backend} is not among the backends (-p ${backends.map(formatAddress).join(', ')}).`);
    }
    if (!(FAULT_TYPES as readonly string[]).includes(type)) throw new ConfigError(`unknown fault type ${JSON.stringify(type)}: expected one of ${FAULT_TYPES.join(', ')}.`);
    const rules = FAULT_ATTRIBUTES[type as FaultType];
    const spec: { type: string; stream?: string; toxicity?: number; name?: string; attributes: Record<string, number> } = { type, attributes: {} };
    for (const pair of pairs) {
      const eq = pair.indexOf('=');
      const key = (eq < 0 ? pair : pair.slice(0, eq)).trim();
      const value = eq < 0 ? '' : pair.slice(eq + 1).trim();
      if (eq < 0 || value === '') throw new ConfigError(`${JSON.stringify(pair)} has no value: expected KEY=VALUE.`);
      if (key === 'stream' || key === 'name') spec[key] = value;
      else if (key === 'toxicity') spec.toxicity = plainNumber(value, 'toxicity');
      else if (rules[key]) spec.attributes[key] = valueIn(value, rules[key].unit, `${type} ${key}`);
      else throw new ConfigError(`unknown key ${JSON.stringify(key)} for ${type}: expected ${[...Object.keys(rules), 'stream', 'toxicity', 'name'].join(', ')}.`);
    }
    const names = taken.get(backend) ?? new Set<string>();
    const fault = validateFault(spec, names);
    taken.set(backend, names.add(fault.name));
    return { backend, fault };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(`Invalid --fault ${JSON.stringify(text)}: ${lowerFirst(error.message)}`);
  }
}

/** A number in `unit`; times may carry their own unit (`300ms`, `2s`). */
function valueIn(text: string, unit: FaultUnit, what: string): number {
  if (unit !== 'ms' && unit !== 'µs') return plainNumber(text, what);
  const match = /^(-?\d+(?:\.\d+)?)\s*(us|µs|ms|s|m)?$/.exec(text);
  if (!match) throw new ConfigError(`Invalid ${what} ${JSON.stringify(text)}: expected a number of ${unit}, or a time such as 300ms or 2s.`);
  const factor = match[2] ? TIME_UNITS[unit][match[2]] : 1;
  if (factor === undefined) throw new ConfigError(`Invalid ${what} ${JSON.stringify(text)}: expected a number of ${unit}, or a time such as 300ms or 2s.`);
  return Math.round(Number(match[1]) * factor * 1000) / 1000;
}

function plainNumber(text: string, what: string): number {
  if (!/^-?\d+(?:\.\d+)?$/.test(text)) throw new ConfigError(`Invalid ${what} ${JSON.stringify(text)}: expected a number.`);
  return Number(text);
}

function lowerFirst(message: string): string {
  return /^[A-Z][a-z]/.test(message) ? message[0].toLowerCase() + message.slice(1) : message;
}
